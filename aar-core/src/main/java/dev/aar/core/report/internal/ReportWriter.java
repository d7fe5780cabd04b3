package dev.aar.core.report.internal;

import dev.aar.core.internal.AtomicFiles;
import dev.aar.core.report.Report;
import dev.aar.core.report.ReportFormat;
import dev.aar.core.report.ReportStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
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
     * Writes {@code report} into {@code directory} like {@link #write(Report, Path)}, taking each file
     * from {@code saved} ({@link ReportStore#rendering}): where that store keeps the renderings, the
     * bytes a server would serve, without rendering the report again (rendering the three formats of
     * a large report takes a noticeable part of a second).
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
                    try (InputStream in = saved == null ? new ByteArrayInputStream(format.render(report))
                            : saved.rendering(report, format)) {
                        Files.copy(in, tmp);
                    }
                    AtomicFiles.replace(tmp, target);
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
}
