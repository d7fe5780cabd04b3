package dev.aar.core.report.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.report.Report;
import dev.aar.core.report.ReportFormat;
import dev.aar.core.report.Reports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @Test
    void writesJsonHtmlAndMarkdownIntoANewDirectory(@TempDir Path dir) throws Exception {
        Report report = Reports.sample("r-1", "p-1", Instant.parse("2026-01-01T00:00:00Z"));
        Path out = dir.resolve("out/nested");
        Map<ReportFormat, Path> written = ReportWriter.write(report, out);

        assertThat(written).containsOnlyKeys(ReportFormat.values());
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("report.json", "report.html", "report.md");
        }
        assertThat(ReportJson.read(Files.readAllBytes(out.resolve("report.json")))).isEqualTo(report);
        assertThat(Files.readString(out.resolve("report.md"))).startsWith("# Architecture review");
        if (out.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // readable like any file the user creates, not owner-only like a temporary file
            assertThat(Files.getPosixFilePermissions(out.resolve("report.html")))
                    .isEqualTo(Files.getPosixFilePermissions(Files.writeString(dir.resolve("probe"), "x")));
        }
    }
}
