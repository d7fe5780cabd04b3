package dev.aar.core.config;

/**
 * The {@code WorkerProcessing} section: how many jobs run at once, how often they checkpoint and
 * how failures are retried.
 *
 * @param maxConcurrentJobs jobs one process runs at once ({@code MaxConcurrentJobs})
 * @param checkpointIntervalFiles files processed between checkpoints ({@code CheckpointIntervalFiles})
 * @param maxRetryAttempts retries after the first failure before dead-lettering ({@code MaxRetryAttempts})
 * @param retryDelaySeconds base delay of the exponential backoff ({@code RetryDelaySeconds})
 * @param leaseSeconds how long a claimed job stays leased without a heartbeat ({@code LeaseSeconds})
 * @param shutdownGraceSeconds how long running jobs get to finish at shutdown ({@code ShutdownGraceSeconds})
 * @param reservedCriticalSlots worker slots that take only Critical jobs, opt-in, taken from
 *     {@code MaxConcurrentJobs} when it is 2 or more ({@code ReservedCriticalSlots}, an SDK addition; default 0:
 *     every slot takes any priority, as the spec says)
 */
public record WorkerProcessing(
        int maxConcurrentJobs,
        int checkpointIntervalFiles,
        int maxRetryAttempts,
        int retryDelaySeconds,
        int leaseSeconds,
        int shutdownGraceSeconds,
        int reservedCriticalSlots) {

    public static final String SECTION = "WorkerProcessing";
    static final Key K_MAX_CONCURRENT_JOBS = Key.whole(SECTION, "MaxConcurrentJobs", 1, 1024);
    static final Key K_CHECKPOINT_INTERVAL_FILES = Key.whole(SECTION, "CheckpointIntervalFiles", 1, 1_000_000);
    static final Key K_MAX_RETRY_ATTEMPTS = Key.whole(SECTION, "MaxRetryAttempts", 0, 100);
    static final Key K_RETRY_DELAY_SECONDS = Key.whole(SECTION, "RetryDelaySeconds", 0, 86_400);
    static final Key K_LEASE_SECONDS = Key.whole(SECTION, "LeaseSeconds", 2, 3_600);
    static final Key K_SHUTDOWN_GRACE_SECONDS = Key.whole(SECTION, "ShutdownGraceSeconds", 0, 3_600);
    static final Key K_RESERVED_CRITICAL_SLOTS = Key.whole(SECTION, "ReservedCriticalSlots", 0, 1023);
    public static final int DEFAULT_MAX_CONCURRENT_JOBS = 3;
    public static final int DEFAULT_CHECKPOINT_INTERVAL_FILES = 100;
    public static final int DEFAULT_MAX_RETRY_ATTEMPTS = 3;
    public static final int DEFAULT_RETRY_DELAY_SECONDS = 30;
    public static final int DEFAULT_LEASE_SECONDS = 30;
    public static final int DEFAULT_SHUTDOWN_GRACE_SECONDS = 30;
    public static final int DEFAULT_RESERVED_CRITICAL_SLOTS = 0;

    public WorkerProcessing {
        K_MAX_CONCURRENT_JOBS.check(maxConcurrentJobs);
        K_CHECKPOINT_INTERVAL_FILES.check(checkpointIntervalFiles);
        K_MAX_RETRY_ATTEMPTS.check(maxRetryAttempts);
        K_RETRY_DELAY_SECONDS.check(retryDelaySeconds);
        K_LEASE_SECONDS.check(leaseSeconds);
        K_SHUTDOWN_GRACE_SECONDS.check(shutdownGraceSeconds);
        K_RESERVED_CRITICAL_SLOTS.check(reservedCriticalSlots);
    }

    /** The settings without a Critical reservation, for code written before {@code ReservedCriticalSlots}. */
    public WorkerProcessing(int maxConcurrentJobs, int checkpointIntervalFiles, int maxRetryAttempts, int retryDelaySeconds,
            int leaseSeconds, int shutdownGraceSeconds) {
        this(maxConcurrentJobs, checkpointIntervalFiles, maxRetryAttempts, retryDelaySeconds, leaseSeconds,
                shutdownGraceSeconds, DEFAULT_RESERVED_CRITICAL_SLOTS);
    }

    /** Returns the spec's defaults. */
    public static WorkerProcessing defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().maxConcurrentJobs(maxConcurrentJobs).checkpointIntervalFiles(checkpointIntervalFiles)
                .maxRetryAttempts(maxRetryAttempts).retryDelaySeconds(retryDelaySeconds)
                .leaseSeconds(leaseSeconds).shutdownGraceSeconds(shutdownGraceSeconds)
                .reservedCriticalSlots(reservedCriticalSlots);
    }

    /** Builds a {@link WorkerProcessing}; starts from the defaults and validates at {@link #build()}. */
    public static final class Builder {
        private int maxConcurrentJobs = DEFAULT_MAX_CONCURRENT_JOBS;
        private int checkpointIntervalFiles = DEFAULT_CHECKPOINT_INTERVAL_FILES;
        private int maxRetryAttempts = DEFAULT_MAX_RETRY_ATTEMPTS;
        private int retryDelaySeconds = DEFAULT_RETRY_DELAY_SECONDS;
        private int leaseSeconds = DEFAULT_LEASE_SECONDS;
        private int shutdownGraceSeconds = DEFAULT_SHUTDOWN_GRACE_SECONDS;
        private int reservedCriticalSlots = DEFAULT_RESERVED_CRITICAL_SLOTS;

        private Builder() {
        }

        public Builder maxConcurrentJobs(int v) { this.maxConcurrentJobs = v; return this; }
        public Builder checkpointIntervalFiles(int v) { this.checkpointIntervalFiles = v; return this; }
        public Builder maxRetryAttempts(int v) { this.maxRetryAttempts = v; return this; }
        public Builder retryDelaySeconds(int v) { this.retryDelaySeconds = v; return this; }
        public Builder leaseSeconds(int v) { this.leaseSeconds = v; return this; }
        public Builder shutdownGraceSeconds(int v) { this.shutdownGraceSeconds = v; return this; }
        public Builder reservedCriticalSlots(int v) { this.reservedCriticalSlots = v; return this; }

        public WorkerProcessing build() {
            return new WorkerProcessing(maxConcurrentJobs, checkpointIntervalFiles, maxRetryAttempts,
                    retryDelaySeconds, leaseSeconds, shutdownGraceSeconds, reservedCriticalSlots);
        }
    }
}
