package dev.aar.core.event;

/** An event about one job of one project. */
public sealed interface ProgressEvent
        permits ProgressUpdate, FindingUpdate, JobCompleted, JobQueued, JobFailed, JobDeadLettered {

    /** The project the job works on. */
    String projectId();

    /** The job. */
    String jobId();

    /** The event's name on the wire ("ProgressUpdate", "FindingUpdate", "JobCompleted", ...). */
    default String eventName() {
        return getClass().getSimpleName();
    }
}
