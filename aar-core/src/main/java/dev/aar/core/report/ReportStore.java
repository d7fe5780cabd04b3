package dev.aar.core.report;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Keeps reports. Implementations are safe for concurrent use; backend failures surface as
 * {@link java.io.UncheckedIOException} or {@link dev.aar.core.error.StorageException}.
 */
public interface ReportStore {

    /** Stores {@code report}, replacing one with the same id. */
    void save(Report report);

    /** Returns the report with {@code reportId}, or empty. */
    Optional<Report> find(String reportId);

    /** Returns the reports of {@code projectId}, newest first. */
    List<Report> listByProject(String projectId);

    /** Deletes every report of {@code projectId}; returns how many. */
    int deleteProject(String projectId);

    /**
     * Returns {@code report} rendered in {@code format}: the rendering saved with it where the store
     * keeps one ({@link BlobReportStore}), else a fresh rendering. The caller closes the stream.
     */
    default InputStream rendering(Report report, ReportFormat format) {
        return new ByteArrayInputStream(format.render(report));
    }
}
