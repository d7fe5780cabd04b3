package dev.aar.core.preflight;

import dev.aar.core.config.AarConfig;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.queue.QueueStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Estimates a job's time from what recent jobs measured: each phase's work (bytes, or the tokens
 * Indexing will embed, overlap included) divided by the median rate of the last {@link #DEFAULT_SAMPLE_JOBS} finished jobs —
 * for Indexing only jobs that used the same embedding model — and the cold-start
 * {@link ThroughputModel} for any phase nothing has measured yet. The median keeps one odd job
 * (a cold JVM, a slow afternoon at the provider) from moving the estimate.
 *
 * <p>The queue wait: with {@code n} jobs queued or running and {@code MaxConcurrentJobs} slots, a new
 * job waits about {@code max(0, n − slots + 1) × typicalJobSeconds ÷ slots}, where the typical job is the
 * median of recent jobs (this job's own estimate before any). The queue is counted as this node's
 * configuration sees it; in a cluster of {@code k} nodes the real wait is about {@code 1/k} of it.
 */
public final class ThroughputEstimator {

    /** How many recent jobs the medians are taken over. */
    public static final int DEFAULT_SAMPLE_JOBS = 20;

    private final AarConfig config;
    private final ThroughputModel coldStart;
    private final ThroughputStore store;
    private final Supplier<EmbeddingModel> model;
    private final Supplier<QueueStats> queue;
    private final int cores;

    /**
     * @param store the measurements, or null to estimate from the cold-start model only
     * @param model the embedding model jobs will use, or null when unknown (taken as one behind an API)
     * @param queue the queue's current depth, or null to leave the wait out
     */
    public ThroughputEstimator(AarConfig config, ThroughputModel coldStart, @Nullable ThroughputStore store,
            @Nullable Supplier<EmbeddingModel> model, @Nullable Supplier<QueueStats> queue) {
        this.config = Objects.requireNonNull(config, "config");
        this.coldStart = Objects.requireNonNull(coldStart, "coldStart");
        this.store = store;
        this.model = model == null ? () -> null : model;
        this.queue = queue;
        this.cores = Runtime.getRuntime().availableProcessors();
    }

    /** An estimator from the cold-start model alone, for a preflight with no service behind it (the CLI). */
    public static ThroughputEstimator coldStart(AarConfig config) {
        return new ThroughputEstimator(config, ThroughputModel.defaults(), null, null, null);
    }

    /** Estimates a job over {@code files} indexable files of {@code bytes} bytes and {@code tokens} tokens. */
    public Estimate estimate(long files, long bytes, long tokens) {
        if (files == 0) {
            return Estimate.NONE;
        }
        List<JobThroughput> recent = recent();
        EmbeddingModel m = model.get();
        String modelName = m == null ? null : m.name();
        Double extractRate = median(recent, this::extractingRate);
        Double analyzeRate = median(recent, this::analyzingRate);
        Double saving = median(recent, j -> seconds(j.savingMillis()));
        List<JobThroughput> sameModel = recent.stream().filter(j -> j.embeddingModel().equals(modelName)).toList();
        Double indexRate = median(sameModel, this::indexingRate);

        double extracting = coldStart.fixedSeconds() + coldStart.extractFixedSeconds()
                + bytes / (extractRate != null ? extractRate : coldStart.extractBytesPerSecond());
        double indexing = coldStart.indexFixedSeconds() + embeddedTokens(tokens) / (indexRate != null ? indexRate
                : coldStart.indexingTokensPerSecond(m, config.embeddingProcessing(), cores));
        double analyzing = coldStart.analyzeFixedSeconds()
                + bytes / (analyzeRate != null ? analyzeRate : coldStart.analyzeBytesPerSecond());
        double savingSeconds = saving != null ? saving : coldStart.savingSeconds();
        Double overlap = median(recent, JobThroughput::overlapShare);
        double total = overlap != null
                ? overlap * (extracting + indexing + analyzing + savingSeconds)
                : overlapped(extracting, indexing, analyzing, savingSeconds);
        Double typical = median(recent, JobThroughput::totalSeconds);
        double start = startIn(typical != null ? typical : total);
        return new Estimate(extracting, indexing, analyzing, savingSeconds, total, start,
                basis(recent.size(), sameModel, indexRate != null, modelName)
                        + (overlap != null ? String.format(Locale.ROOT, "; phases overlapping: the job's wall time is %.0f%%"
                                + " of their sum", overlap * 100) : ""));
    }

    /**
     * The wall time of phases that overlap, before any job has measured how much they do: Indexing starts
     * with Extracting and takes files as they come, Analyzing starts when Extracting ends and runs beside
     * Indexing, Saving comes last. (Analyzers that search the index make Analyzing wait for Indexing; the
     * measured share replaces this after the first job.)
     */
    static double overlapped(double extracting, double indexing, double analyzing, double saving) {
        return Math.max(indexing, extracting + analyzing) + saving;
    }

    /** Returns what estimates are currently based on. */
    public ThroughputStats stats() {
        List<JobThroughput> recent = recent();
        Map<String, List<JobThroughput>> byModel = new LinkedHashMap<>();
        EmbeddingModel m = model.get();
        if (m != null) {
            byModel.put(m.name(), new ArrayList<>());
        }
        for (JobThroughput j : recent) {
            if (j.tokens() > 0) {
                byModel.computeIfAbsent(j.embeddingModel(), k -> new ArrayList<>()).add(j);
            }
        }
        List<ThroughputStats.ModelRate> rates = new ArrayList<>();
        byModel.forEach((name, jobs) -> {
            Double rate = median(jobs, this::indexingRate);
            if (rate != null) {
                rates.add(new ThroughputStats.ModelRate(name, jobs.size(), rate));
            }
        });
        return new ThroughputStats(recent.size(),
                median(recent, this::extractingRate),
                median(recent, this::analyzingRate),
                median(recent, j -> seconds(j.savingMillis())),
                median(recent, JobThroughput::totalSeconds),
                rates,
                median(recent, j -> j.estimatedSeconds() > 0 ? j.totalSeconds() / j.estimatedSeconds() : Double.NaN),
                coldStart);
    }

    /** A job's extraction rate in bytes/s, its fixed start-up cost taken out; NaN when it says nothing. */
    private double extractingRate(JobThroughput j) {
        return j.bytes() > 0 && j.extractingMillis() > 0
                ? j.bytes() / work(j.extractingMillis(), coldStart.extractFixedSeconds()) : Double.NaN;
    }

    /** A job's analysis rate in bytes/s, its fixed start-up cost taken out; NaN when it says nothing. */
    private double analyzingRate(JobThroughput j) {
        return j.bytes() > 0 && j.analyzingMillis() > 0
                ? j.bytes() / work(j.analyzingMillis(), coldStart.analyzeFixedSeconds()) : Double.NaN;
    }

    /**
     * The tokens a job embeds for {@code tokens} of text: consecutive chunks repeat {@code OverlapTokens}
     * of {@code MaxChunkSizeTokens}, so about {@code max ÷ (max − overlap)} times the text (+11% at the defaults).
     */
    long embeddedTokens(long tokens) {
        int max = config.embeddingProcessing().maxChunkSizeTokens();
        int overlap = Math.min(config.embeddingProcessing().overlapTokens(), max - 1);
        return Math.round(tokens * (double) max / (max - overlap));
    }

    private List<JobThroughput> recent() {
        return store == null ? List.of() : store.recent(DEFAULT_SAMPLE_JOBS);
    }

    private double startIn(double typicalJobSeconds) {
        if (queue == null) {
            return 0;
        }
        QueueStats q = queue.get();
        int slots = config.workerProcessing().maxConcurrentJobs();
        long ahead = q.queued() + q.inFlight() - slots + 1;
        return ahead <= 0 ? 0 : ahead * typicalJobSeconds / slots;
    }

    private double indexingRate(JobThroughput j) {
        // a job that reused every vector (a re-run) says nothing about the embedding rate
        return j.tokens() > 0 && j.indexingMillis() > 0
                ? j.tokens() / work(j.indexingMillis(), coldStart.indexFixedSeconds()) : Double.NaN;
    }

    /**
     * The seconds of a phase spent on its work: its time less the phase's fixed start-up cost, but at
     * least a quarter of it, so a job smaller than the fixed cost cannot claim an absurd rate.
     */
    private static double work(long millis, double fixedSeconds) {
        double total = seconds(millis);
        return Math.max(total - fixedSeconds, total / 4);
    }

    private static String basis(int jobs, List<JobThroughput> sameModel, boolean indexingMeasured, String model) {
        if (jobs == 0) {
            return "configured model: no job has finished yet";
        }
        String s = String.format(Locale.ROOT, "medians of the last %d finished job%s", jobs, jobs == 1 ? "" : "s");
        if (indexingMeasured) {
            long n = sameModel.stream().filter(j -> j.tokens() > 0 && j.indexingMillis() > 0).count();
            return s + String.format(Locale.ROOT, "; indexing from %d job%s with model %s", n, n == 1 ? "" : "s", model);
        }
        return s + "; indexing from the configured model (no recent job embedded with "
                + (model == null ? "this model" : model) + ")";
    }

    private static double seconds(long millis) {
        return Math.max(millis, 1) / 1000.0;
    }

    /** The median of the defined values (NaN = no value), or null when there is none. */
    private static Double median(List<JobThroughput> jobs, ToDoubleFunction<JobThroughput> value) {
        double[] v = jobs.stream().mapToDouble(value).filter(d -> !Double.isNaN(d)).toArray();
        if (v.length == 0) {
            return null;
        }
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }
}
