package dev.aar.core.event;

/**
 * A finding, published as soon as an analyzer emits it (the spec's {@code FindingUpdate}).
 *
 * @param projectId the project
 * @param jobId the job
 * @param finding what was found
 */
public record FindingUpdate(String projectId, String jobId, Finding finding) implements ProgressEvent {
}
