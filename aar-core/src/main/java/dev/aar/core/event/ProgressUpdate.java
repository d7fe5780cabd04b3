package dev.aar.core.event;

import dev.aar.core.redact.Redactor;
import org.jspecify.annotations.Nullable;

/**
 * How far a job is within its current phase (the spec's {@code ProgressUpdate}).
 *
 * @param projectId the project
 * @param jobId the job
 * @param phase the current phase
 * @param progressPercent 0..100 within the phase
 * @param processedFiles files done in this phase
 * @param totalFiles files in this phase
 * @param message a short human-readable note, or null; masked by {@link Redactor#forClient}
 */
public record ProgressUpdate(String projectId, String jobId, Phase phase, double progressPercent,
        int processedFiles, int totalFiles, @Nullable String message) implements ProgressEvent {

    public ProgressUpdate {
        message = Redactor.forClient(message);
    }
}
