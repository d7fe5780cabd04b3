package dev.aar.queue;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How far a job got, saved so that a resumed job skips what is done (the spec's JobCheckpoints row).
 *
 * @param jobId the job this checkpoint belongs to (one checkpoint per job, the latest)
 * @param projectId the project being processed
 * @param phase the phase in progress ("Extracting", "Indexing", "Analyzing", "Saving")
 * @param lastProcessedFile path of the last file fully processed, or null
 * @param processedFileCount files fully processed in this phase
 * @param totalFileCount files in this phase
 * @param data handler-specific JSON (completed phases, cursors, per-analyzer state)
 * @param createdAt when the job's first checkpoint was saved
 * @param updatedAt when this checkpoint was saved
 */
public record Checkpoint(
        String jobId,
        String projectId,
        String phase,
        @Nullable String lastProcessedFile,
        int processedFileCount,
        int totalFileCount,
        String data,
        Instant createdAt,
        Instant updatedAt) {

    public Checkpoint {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
