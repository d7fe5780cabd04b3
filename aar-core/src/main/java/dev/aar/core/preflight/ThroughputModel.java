package dev.aar.core.preflight;

import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.embedding.EmbeddingModel;

/**
 * The cold-start model behind the time estimate, used for a phase until a finished job has measured
 * it (see {@link ThroughputEstimator}). Each phase takes its work divided by a rate:
 * <ul>
 *   <li>Extracting: {@code bytes / extractBytesPerSecond};</li>
 *   <li>Indexing, a model that runs on the node's CPU (it costs nothing): {@code tokens /
 *       (localTokensPerSecondPerCore × cores)};</li>
 *   <li>Indexing, a model behind an API: {@code tokens / min(MaxConcurrency × BatchSize × tokensPerInput /
 *       requestLatencySeconds, TokensPerMinute / 60)}, with {@code tokensPerInput = 3/4 × MaxChunkSizeTokens}
 *       (chunks are cut at the maximum, the last one of a file is shorter);</li>
 *   <li>Analyzing: {@code bytes / analyzeBytesPerSecond};</li>
 *   <li>Saving: {@code savingSeconds}; plus {@code fixedSeconds} once per job.</li>
 * </ul>
 * The defaults sit between what the JDK sources measured on an idle 2-core machine and on the same
 * machine under heavy load (docs/BENCHMARKS.md, "Preflight time estimates"): a cold estimate errs
 * towards "longer" on an idle machine.
 *
 * <p>Each phase also has a fixed start-up cost ({@code extractFixedSeconds}, {@code indexFixedSeconds},
 * {@code analyzeFixedSeconds}: the tokenizer and model loading, a cold JIT, the first batch's round
 * trip), added to the estimate and taken out of a measured job's time before its rate is computed;
 * without it a small first job makes every later estimate of a large one too long (measured: java.util
 * → the whole JDK, 2.5× too long without, about right with).
 *
 * @param fixedSeconds claiming the job, preparing the workspace, once per job
 * @param extractBytesPerSecond extraction rate in indexable bytes per second
 * @param localTokensPerSecondPerCore chunking and embedding rate of a local model, per core
 * @param requestLatencySeconds assumed time of one embedding request to an API
 * @param analyzeBytesPerSecond analysis rate in indexable bytes per second
 * @param savingSeconds writing the report
 * @param extractFixedSeconds the Extracting phase's fixed start-up cost
 * @param indexFixedSeconds the Indexing phase's fixed start-up cost
 * @param analyzeFixedSeconds the Analyzing phase's fixed start-up cost
 */
public record ThroughputModel(double fixedSeconds, double extractBytesPerSecond, double localTokensPerSecondPerCore,
                              double requestLatencySeconds, double analyzeBytesPerSecond, double savingSeconds,
                              double extractFixedSeconds, double indexFixedSeconds, double analyzeFixedSeconds) {

    public static final double DEFAULT_FIXED_SECONDS = 0.5;
    public static final double DEFAULT_EXTRACT_FIXED_SECONDS = 0.1;
    public static final double DEFAULT_INDEX_FIXED_SECONDS = 1.5;
    public static final double DEFAULT_ANALYZE_FIXED_SECONDS = 1.0;
    public static final double DEFAULT_EXTRACT_BYTES_PER_SECOND = 20_000_000;
    public static final double DEFAULT_LOCAL_TOKENS_PER_SECOND_PER_CORE = 250_000;
    public static final double DEFAULT_REQUEST_LATENCY_SECONDS = 0.5;
    public static final double DEFAULT_ANALYZE_BYTES_PER_SECOND = 5_000_000;
    public static final double DEFAULT_SAVING_SECONDS = 1;

    public ThroughputModel {
        check("fixedSeconds", fixedSeconds, true);
        check("extractBytesPerSecond", extractBytesPerSecond, false);
        check("localTokensPerSecondPerCore", localTokensPerSecondPerCore, false);
        check("requestLatencySeconds", requestLatencySeconds, false);
        check("analyzeBytesPerSecond", analyzeBytesPerSecond, false);
        check("savingSeconds", savingSeconds, true);
        check("extractFixedSeconds", extractFixedSeconds, true);
        check("indexFixedSeconds", indexFixedSeconds, true);
        check("analyzeFixedSeconds", analyzeFixedSeconds, true);
    }

    private static void check(String name, double v, boolean zeroOk) {
        if (!(zeroOk ? v >= 0 : v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " = " + v + " is out of range; allowed: "
                    + (zeroOk ? "finite, >= 0" : "finite, > 0"));
        }
    }

    public static ThroughputModel defaults() {
        return new ThroughputModel(DEFAULT_FIXED_SECONDS, DEFAULT_EXTRACT_BYTES_PER_SECOND,
                DEFAULT_LOCAL_TOKENS_PER_SECOND_PER_CORE, DEFAULT_REQUEST_LATENCY_SECONDS,
                DEFAULT_ANALYZE_BYTES_PER_SECOND, DEFAULT_SAVING_SECONDS, DEFAULT_EXTRACT_FIXED_SECONDS,
                DEFAULT_INDEX_FIXED_SECONDS, DEFAULT_ANALYZE_FIXED_SECONDS);
    }

    /** Returns the modelled embedding rate, in tokens per second, of {@code model} under {@code embedding}'s limits. */
    public double indexingTokensPerSecond(EmbeddingModel model, EmbeddingProcessing embedding, int cores) {
        double rate;
        if (model != null && model.costPerMillionTokens() == 0) {
            rate = localTokensPerSecondPerCore * Math.max(1, cores);
        } else {
            double tokensPerInput = 0.75 * embedding.maxChunkSizeTokens();
            double tokensPerRequest = embedding.batchSize() * tokensPerInput;
            if (model != null) {
                tokensPerRequest = Math.min(tokensPerRequest, model.maxTokensPerRequest());
            }
            rate = embedding.maxConcurrency() * tokensPerRequest / requestLatencySeconds;
        }
        if (embedding.tokensPerMinute() > 0) {
            rate = Math.min(rate, embedding.tokensPerMinute() / 60.0);
        }
        return rate;
    }
}
