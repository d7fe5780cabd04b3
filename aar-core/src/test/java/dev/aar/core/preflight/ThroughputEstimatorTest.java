package dev.aar.core.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.aar.core.config.AarConfig;
import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.config.WorkerProcessing;
import dev.aar.core.memory.InMemoryThroughputStore;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.queue.JobPriority;
import dev.aar.queue.QueueStats;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThroughputEstimatorTest {

    private static final EmbeddingModel LOCAL = new EmbeddingModel("local-384", 384, 512, 256, 100_000, 0);
    private static final EmbeddingModel REMOTE = new EmbeddingModel("remote-1536", 1536, 8191, 2048, 300_000, 0.02);
    /** The default rates without the per-phase fixed costs, so the arithmetic below stays plain; those have their own test. */
    private static final ThroughputModel COLD = new ThroughputModel(2, ThroughputModel.DEFAULT_EXTRACT_BYTES_PER_SECOND,
            ThroughputModel.DEFAULT_LOCAL_TOKENS_PER_SECOND_PER_CORE, ThroughputModel.DEFAULT_REQUEST_LATENCY_SECONDS,
            ThroughputModel.DEFAULT_ANALYZE_BYTES_PER_SECOND, ThroughputModel.DEFAULT_SAVING_SECONDS, 0, 0, 0);
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final double EMBEDDED_5M = Math.round(5_000_000 * 512.0 / 462);
    private static final double EMBEDDED_4M = Math.round(4_000_000 * 512.0 / 462);
    private static final double EMBEDDED_1M = Math.round(1_000_000 * 512.0 / 462);

    private final InMemoryThroughputStore store = new InMemoryThroughputStore();
    private int jobs;

    /** A finished job: 1 MB extracted in {@code ext} ms, 1 M tokens embedded in {@code idx} ms, 1 MB analysed in {@code ana} ms. */
    private void finished(String model, long ext, long idx, long ana, long save) {
        jobs++;
        store.record(new JobThroughput("job-" + jobs, Instant.ofEpochSecond(1_000 + jobs), model, 100,
                1_000_000, 1_000_000, ext, idx, ana, save, 0, 0));
    }

    private static ThroughputEstimator estimator(AarConfig config, ThroughputStore store, EmbeddingModel model) {
        return new ThroughputEstimator(config, COLD, store, () -> model, null);
    }

    @Test
    void beforeAnyJobTheColdModelIsTheDocumentedFormula() {
        AarConfig config = AarConfig.defaults();
        Estimate local = estimator(config, store, LOCAL).estimate(10, 40_000_000, 5_000_000);
        assertThat(local.extractingSeconds()).isCloseTo(COLD.fixedSeconds() + 40_000_000 / COLD.extractBytesPerSecond(), within(1e-9));
        // chunks overlap by 50 of 512 tokens: 5,000,000 tokens of text are embedded as 5,541,126
        assertThat(local.indexingSeconds()).isCloseTo(EMBEDDED_5M / (COLD.localTokensPerSecondPerCore() * CORES), within(1e-9));
        assertThat(local.analyzingSeconds()).isCloseTo(40_000_000 / COLD.analyzeBytesPerSecond(), within(1e-9));
        assertThat(local.savingSeconds()).isEqualTo(COLD.savingSeconds());
        assertThat(local.basis()).startsWith("configured model");

        // behind an API: MaxConcurrency 5 x BatchSize 100 x (3/4 x 512 tokens) per 0.5 s = 384,000 tokens/s
        Estimate remote = estimator(config, store, REMOTE).estimate(10, 40_000_000, 5_000_000);
        assertThat(remote.indexingSeconds()).isCloseTo(EMBEDDED_5M / 384_000.0, within(1e-9));

        // TokensPerMinute caps the rate: 600,000 per minute = 10,000 tokens/s
        AarConfig limited = config.toBuilder().embeddingProcessing(
                EmbeddingProcessing.builder().tokensPerMinute(600_000).build()).build();
        assertThat(estimator(limited, store, REMOTE).estimate(10, 40_000_000, 5_000_000).indexingSeconds())
                .isCloseTo(EMBEDDED_5M / 10_000.0, within(1e-9));
        assertThat(estimator(config, store, REMOTE).estimate(0, 0, 0)).isEqualTo(Estimate.NONE);
    }

    @Test
    void afterJobsEachPhaseTakesTheMedianRateOfRecentJobs() {
        finished("local-384", 100, 2_000, 500, 300);
        finished("local-384", 200, 4_000, 1_000, 400);   // half as fast
        finished("local-384", 100, 2_000, 500, 300);
        Estimate e = estimator(AarConfig.defaults(), store, LOCAL).estimate(200, 2_000_000, 4_000_000);
        // medians: 10 MB/s extraction, 500,000 tokens/s, 2 MB/s analysis, 0.3 s saving
        assertThat(e.extractingSeconds()).isCloseTo(COLD.fixedSeconds() + 0.2, within(1e-9));
        assertThat(e.indexingSeconds()).isCloseTo(EMBEDDED_4M / 500_000, within(1e-9));
        assertThat(e.analyzingSeconds()).isCloseTo(1, within(1e-9));
        assertThat(e.savingSeconds()).isCloseTo(0.3, within(1e-9));
        assertThat(e.basis()).isEqualTo("medians of the last 3 finished jobs; indexing from 3 jobs with model local-384");
    }

    @Test
    void eachPhasesFixedCostIsAddedToTheEstimateAndTakenOutOfAMeasuredRate() {
        ThroughputModel fixed = new ThroughputModel(0, 1e6, 1e6, 0.5, 1e6, 0, 0.5, 1.0, 2.0);
        ThroughputEstimator cold = new ThroughputEstimator(AarConfig.defaults(), fixed, store, () -> REMOTE, null);
        Estimate before = cold.estimate(1, 1_000_000, 0);
        assertThat(before.extractingSeconds()).isCloseTo(0.5 + 1, within(1e-9));
        assertThat(before.analyzingSeconds()).isCloseTo(2.0 + 1, within(1e-9));
        assertThat(before.indexingSeconds()).isCloseTo(1.0, within(1e-9));

        // a small job: 1 MB extracted in 1.5 s (0.5 s of it start-up), 1 M tokens in 3 s (1 s), 1 MB analysed in 3 s (2 s)
        finished("remote-1536", 1_500, 3_000, 3_000, 0);
        Estimate big = cold.estimate(100, 100_000_000, 10_000_000);
        assertThat(big.extractingSeconds()).isCloseTo(0.5 + 100 * 1.0, within(1e-6));
        assertThat(big.analyzingSeconds()).isCloseTo(2.0 + 100 * 1.0, within(1e-6));
        assertThat(big.indexingSeconds()).isCloseTo(1.0 + EMBEDDED_1M * 10 / 500_000, within(1e-3));

        // a job shorter than the fixed cost still counts a quarter of its time as work, never a rate of infinity
        store.record(new JobThroughput("tiny", Instant.ofEpochSecond(5_000), "remote-1536", 1, 1_000, 1_000, 100, 100,
                100, 0, 0, 0));
        assertThat(cold.stats().extractingBytesPerSecond()).isFinite();
    }

    @Test
    void theTotalIsTheOverlappedWallTimeExpectedFirstThenMeasured() {
        // before any job: Indexing beside Extracting, Analyzing after Extracting and beside Indexing, Saving last
        Estimate cold = estimator(AarConfig.defaults(), store, LOCAL).estimate(10, 40_000_000, 5_000_000);
        assertThat(cold.totalSeconds()).isCloseTo(Math.max(cold.indexingSeconds(),
                cold.extractingSeconds() + cold.analyzingSeconds()) + cold.savingSeconds(), within(1e-9));
        assertThat(cold.totalSeconds()).isLessThan(cold.phasesSeconds());

        // jobs measured before phases overlapped (no wall time) leave the expected overlap in place
        finished("local-384", 100, 2_000, 500, 300);
        Estimate old = estimator(AarConfig.defaults(), store, LOCAL).estimate(200, 2_000_000, 4_000_000);
        assertThat(old.totalSeconds()).isCloseTo(ThroughputEstimator.overlapped(old.extractingSeconds(),
                old.indexingSeconds(), old.analyzingSeconds(), old.savingSeconds()), within(1e-9));

        // jobs whose wall time was 60% and 80% of their phases' sum: the median share, 70%
        store.record(new JobThroughput("w1", Instant.ofEpochSecond(9_001), "local-384", 100, 1_000_000, 1_000_000,
                1_000, 5_000, 3_000, 1_000, 6_000, 0));
        store.record(new JobThroughput("w2", Instant.ofEpochSecond(9_002), "local-384", 100, 1_000_000, 1_000_000,
                1_000, 5_000, 3_000, 1_000, 8_000, 0));
        Estimate measured = estimator(AarConfig.defaults(), store, LOCAL).estimate(200, 2_000_000, 4_000_000);
        assertThat(measured.totalSeconds()).isCloseTo(0.7 * measured.phasesSeconds(), within(1e-9));
        assertThat(measured.basis()).endsWith("; phases overlapping: the job's wall time is 70% of their sum");
        assertThat(estimator(AarConfig.defaults(), store, LOCAL).stats().typicalJobSeconds())
                .as("the median of 2.9 s (phases summed), 6 s and 8 s (wall times)").isCloseTo(6.0, within(1e-9));
    }

    @Test
    void embeddingRatesOfOneModelNeverEstimateAnother() {
        finished("remote-1536", 100, 10_000, 500, 300); // 100,000 tokens/s through some API
        Estimate local = estimator(AarConfig.defaults(), store, LOCAL).estimate(200, 2_000_000, 4_000_000);
        assertThat(local.indexingSeconds()).as("no local-384 job yet: the cold model")
                .isCloseTo(EMBEDDED_4M / (COLD.localTokensPerSecondPerCore() * CORES), within(1e-9));
        assertThat(local.analyzingSeconds()).as("the other phases do not depend on the model").isCloseTo(1, within(1e-9));
        assertThat(local.basis()).contains("indexing from the configured model");
        Estimate remote = estimator(AarConfig.defaults(), store, REMOTE).estimate(200, 2_000_000, 4_000_000);
        assertThat(remote.indexingSeconds()).isCloseTo(EMBEDDED_4M / 100_000, within(1e-9));

        ThroughputStats stats = estimator(AarConfig.defaults(), store, LOCAL).stats();
        assertThat(stats.jobs()).isEqualTo(1);
        assertThat(stats.indexing()).extracting(ThroughputStats.ModelRate::model).containsExactly("remote-1536");
        assertThat(stats.indexing().get(0).tokensPerSecond()).isCloseTo(100_000, within(1e-6));
    }

    @Test
    void aRerunThatReusedEveryVectorSaysNothingAboutEmbedding() {
        store.record(new JobThroughput("rerun", Instant.ofEpochSecond(5), "local-384", 100, 1_000_000, 0,
                100, 50, 500, 300, 0, 0));
        Estimate e = estimator(AarConfig.defaults(), store, LOCAL).estimate(100, 1_000_000, 1_000_000);
        assertThat(e.indexingSeconds()).isCloseTo(EMBEDDED_1M / (COLD.localTokensPerSecondPerCore() * CORES), within(1e-9));
    }

    @Test
    void theQueueAheadAddsItsJobsDividedByTheSlots() {
        finished("local-384", 1_000, 5_000, 3_000, 1_000); // a 10 s job
        AarConfig config = AarConfig.defaults().toBuilder()
                .workerProcessing(WorkerProcessing.builder().maxConcurrentJobs(3).build()).build();
        QueueStats[] stats = {new QueueStats(Map.of(), 2, 0)};
        ThroughputEstimator estimator = new ThroughputEstimator(config, COLD, store, () -> LOCAL, () -> stats[0]);
        assertThat(estimator.estimate(1, 10, 10).startInSeconds()).as("a slot is free").isZero();
        stats[0] = new QueueStats(Map.of(JobPriority.NORMAL, 4L), 3, 0);
        // 4 queued + 3 running on 3 slots: 5 jobs must finish first, 3 at a time: 5 x 10 s / 3
        assertThat(estimator.estimate(1, 10, 10).startInSeconds()).isCloseTo(50 / 3.0, within(1e-9));
    }
}
