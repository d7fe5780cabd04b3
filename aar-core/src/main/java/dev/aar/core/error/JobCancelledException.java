package dev.aar.core.error;

/**
 * A running job stopped because it was cancelled, lost its lease or the worker pool is shutting
 * down; handlers throw it (usually via {@code JobContext.throwIfCancelled()}) to unwind at once.
 */
public final class JobCancelledException extends AarException {

    private final String jobId;

    public JobCancelledException(String jobId, String why) {
        super("job '" + jobId + "' stopped: " + why);
        this.jobId = jobId;
    }

    /** Returns the job that stopped. */
    public String jobId() {
        return jobId;
    }

    @Override
    public String code() {
        return "job.cancelled";
    }

    @Override
    public boolean isClientError() {
        return false;
    }
}
