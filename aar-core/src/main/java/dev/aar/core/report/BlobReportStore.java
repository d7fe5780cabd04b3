package dev.aar.core.report;

import dev.aar.core.report.internal.ReportJson;
import dev.aar.storage.BlobInfo;
import dev.aar.storage.BlobKey;
import dev.aar.storage.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ReportStore} on a {@link BlobStore}: each report is written as
 * {@code reports/<projectId>/<reportId>/report.json}, {@code report.html} and {@code report.md},
 * plus {@code report-index/<reportId>} holding the project id so a report can be found by id alone.
 *
 * <p>The HTML and Markdown are written first and the JSON after them, then the index: a report
 * is visible once its JSON exists, and its renderings are then already in place. Project and
 * report ids must each be one blob-key segment (letters, digits, '.', '_', '-'), as UUIDs are.
 */
public final class BlobReportStore implements ReportStore {

    /** Key prefix of the reports. */
    public static final String PREFIX = "reports/";
    /** Key prefix of the id-to-project index. */
    public static final String INDEX_PREFIX = "report-index/";

    private final BlobStore blobs;

    public BlobReportStore(BlobStore blobs) {
        this.blobs = Objects.requireNonNull(blobs, "blobs");
    }

    /** Returns the key of {@code format} of report {@code reportId} of project {@code projectId}. */
    public static String key(String projectId, String reportId, ReportFormat format) {
        return PREFIX + segment("project id", projectId) + "/" + segment("report id", reportId) + "/" + format.fileName();
    }

    @Override
    public void save(Report report) {
        for (ReportFormat format : List.of(ReportFormat.HTML, ReportFormat.MARKDOWN, ReportFormat.JSON)) {
            blobs.put(key(report.projectId(), report.reportId(), format), new ByteArrayInputStream(format.render(report)));
        }
        blobs.put(INDEX_PREFIX + report.reportId(),
                new ByteArrayInputStream(report.projectId().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Optional<Report> find(String reportId) {
        if (!isSegment(reportId)) {
            return Optional.empty();
        }
        return read(INDEX_PREFIX + reportId)
                .flatMap(project -> read(key(new String(project, StandardCharsets.UTF_8), reportId, ReportFormat.JSON)))
                .map(ReportJson::read);
    }

    /** Returns the stored rendering of a report in {@code format}, for serving it without re-rendering. */
    public Optional<InputStream> open(String projectId, String reportId, ReportFormat format) {
        return blobs.get(key(projectId, reportId, format));
    }

    /** Returns the rendering saved with {@code report}, or a fresh one if it is missing. */
    @Override
    public InputStream rendering(Report report, ReportFormat format) {
        return open(report.projectId(), report.reportId(), format)
                .orElseGet(() -> ReportStore.super.rendering(report, format));
    }

    @Override
    public List<Report> listByProject(String projectId) {
        String prefix = PREFIX + segment("project id", projectId) + "/";
        List<Report> reports = new ArrayList<>();
        for (BlobInfo info : blobs.list(prefix)) {
            if (info.key().endsWith("/" + ReportFormat.JSON.fileName())) {
                read(info.key()).map(ReportJson::read).ifPresent(reports::add);
            }
        }
        reports.sort(Comparator.comparing(Report::createdAt).reversed().thenComparing(Report::reportId));
        return reports;
    }

    @Override
    public int deleteProject(String projectId) {
        String prefix = PREFIX + segment("project id", projectId) + "/";
        int reports = 0;
        for (BlobInfo info : blobs.list(prefix)) {
            if (info.key().endsWith("/" + ReportFormat.JSON.fileName())) {
                String reportId = info.key().substring(prefix.length(), info.key().lastIndexOf('/'));
                blobs.delete(INDEX_PREFIX + reportId);
                reports++;
            }
            blobs.delete(info.key());
        }
        return reports;
    }

    private Optional<byte[]> read(String key) {
        Optional<InputStream> in = blobs.get(key);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream stream = in.get()) {
            return Optional.of(stream.readAllBytes());
        } catch (IOException e) {
            throw BlobStore.failure("cannot read " + key, e);
        }
    }

    private static boolean isSegment(String id) {
        try {
            BlobKey.validateUploadId(id);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String segment(String what, String id) {
        if (id == null || !isSegment(id)) {
            throw new IllegalArgumentException(what + " '" + id
                    + "' cannot be stored: it must be one blob-key segment of letters, digits, '.', '_' and '-'");
        }
        return id;
    }
}
