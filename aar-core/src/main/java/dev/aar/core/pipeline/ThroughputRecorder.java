package dev.aar.core.pipeline;

import dev.aar.core.metrics.AarMetrics;
import dev.aar.core.preflight.JobThroughput;
import dev.aar.core.preflight.ThroughputStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records a finished job's phase rates for later estimates, and how its estimate compared ({@code aar.preflight.estimate_ratio}). */
final class ThroughputRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(ThroughputRecorder.class);

    private final ThroughputStore store;
    private final AarMetrics metrics;

    /** @param metrics where the estimate ratio goes, or null */
    ThroughputRecorder(ThroughputStore store, AarMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    void record(JobThroughput t) {
        if (metrics != null && t.estimatedSeconds() > 0) {
            metrics.estimateRatio(t.totalSeconds() / t.estimatedSeconds());
        }
        try {
            store.record(t);
        } catch (RuntimeException e) {
            // the report is saved: a lost measurement only makes later estimates less informed
            LOG.warn("job {}: its throughput was not recorded ({}); estimates go on without it", t.jobId(),
                    e.getClass().getSimpleName());
        }
    }
}
