package dev.aar.core.report.internal;

import dev.aar.core.report.BlobReportStore;
import dev.aar.core.report.Report;
import dev.aar.core.report.ReportFormat;
import dev.aar.core.report.ReportStore;
import java.io.InputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes a report's three files ({@code report.json}, {@code report.html}, {@code report.md}) into
 * a directory, creating it if needed. Each file is written to a temporary file first and renamed
 * into place, so a reader never sees half a report.
 */
public final class ReportWriter {

    private ReportWriter() {
    }

    /**
     * Writes {@code report} into {@code directory}, replacing earlier files of the same names.
     *
     * @return the path of each file written
     * @throws UncheckedIOException when a file cannot be written
     */
    public static Map<ReportFormat, Path> write(Report report, Path directory) {
        return write(report, directory, null);
    }

    /**
     * Writes {@code report} into {@code directory} like {@link #write(Report, Path)}, copying each
     * file from {@code saved} where that store keeps the rendering ({@link BlobReportStore}) instead of
     * rendering the report again: the bytes are the ones a server would serve, and rendering the
     * three formats of a large report takes a noticeable part of a second.
     *
     * @param saved the store {@code report} was saved to, or null to render every file
     */
    public static Map<ReportFormat, Path> write(Report report, Path directory, ReportStore saved) {
        Map<ReportFormat, Path> written = new EnumMap<>(ReportFormat.class);
        try {
            Files.createDirectories(directory);
            for (ReportFormat format : ReportFormat.values()) {
                Path target = directory.resolve(format.fileName());
                // not Files.createTempFile: its owner-only permissions would survive the rename
                Path tmp = directory.resolve("." + format.fileName() + "." + UUID.randomUUID() + ".tmp");
                try {
                    Optional<InputStream> stored = saved instanceof BlobReportStore blobs
                            ? blobs.open(report.projectId(), report.reportId(), format) : Optional.empty();
                    if (stored.isPresent()) {
                        try (InputStream in = stored.get()) {
                            Files.copy(in, tmp);
                        }
                    } else {
                        Files.write(tmp, format.render(report), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    }
                    move(tmp, target);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                written.put(format, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + report.reportId() + " to " + directory + ": "
                    + e.getMessage(), e);
        }
        return written;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
