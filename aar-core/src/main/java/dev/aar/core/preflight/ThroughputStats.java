package dev.aar.core.preflight;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What time estimates are based on: medians over recently finished jobs, and the cold-start model
 * used for whatever no job has measured yet. Serialised as is by {@code GET /api/v1/stats/throughput}.
 *
 * @param jobs how many recent jobs the medians are taken over
 * @param extractingBytesPerSecond median extraction rate, or null before any job
 * @param analyzingBytesPerSecond median analysis rate, or null before any job
 * @param savingSeconds median Saving time, or null before any job
 * @param typicalJobSeconds median time of a whole job, or null before any job (used for the queue wait)
 * @param indexing the median embedding rate per model, the configured model first
 * @param estimateRatio median of actual ÷ estimated time over the jobs that had an estimate, or null
 * @param coldStart the model used where nothing was measured
 */
public record ThroughputStats(int jobs, @Nullable Double extractingBytesPerSecond, @Nullable Double analyzingBytesPerSecond,
                              @Nullable Double savingSeconds, @Nullable Double typicalJobSeconds, List<ModelRate> indexing,
                              @Nullable Double estimateRatio, ThroughputModel coldStart) {

    public ThroughputStats {
        indexing = List.copyOf(indexing);
    }

    /**
     * The measured embedding rate of one model.
     *
     * @param model the embedding model's name
     * @param jobs how many recent jobs embedded anything with it
     * @param tokensPerSecond their median rate
     */
    public record ModelRate(String model, int jobs, double tokensPerSecond) {
    }
}
