package dev.aar.core.report.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.report.BlobReportStore;
import dev.aar.core.report.Report;
import dev.aar.core.report.ReportFormat;
import dev.aar.core.report.Reports;
import dev.aar.core.storage.FileSystemBlobStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
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

    @Test
    void copiesTheRenderingsABlobReportStoreKeptAndRendersAnyItLacks(@TempDir Path dir) throws Exception {
        Report report = Reports.sample("r-1", "p-1", Instant.parse("2026-01-01T00:00:00Z"));
        FileSystemBlobStore blobs = FileSystemBlobStore.open(dir.resolve("blobs"));
        BlobReportStore store = new BlobReportStore(blobs);
        store.save(report);
        // a stored rendering that differs from a fresh one shows which of the two was written
        blobs.put(BlobReportStore.key("p-1", "r-1", ReportFormat.MARKDOWN),
                new ByteArrayInputStream("# kept\n".getBytes(StandardCharsets.UTF_8)));
        blobs.delete(BlobReportStore.key("p-1", "r-1", ReportFormat.HTML));

        Path out = dir.resolve("out");
        ReportWriter.write(report, out, store);

        assertThat(Files.readString(out.resolve("report.md"))).isEqualTo("# kept\n");
        assertThat(Files.readAllBytes(out.resolve("report.html"))).isEqualTo(ReportFormat.HTML.render(report));
        assertThat(Files.readAllBytes(out.resolve("report.json"))).isEqualTo(ReportFormat.JSON.render(report));
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("report.md.tmp")
                    .containsExactlyInAnyOrder("report.json", "report.html", "report.md");
        }
    }
}
