package dev.aar.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.storage.BlobInfo;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobReportStoreTest extends ReportStoreContractTest {

    @TempDir
    Path dir;

    private FileSystemBlobStore blobs;

    @Override
    protected ReportStore createStore() {
        blobs = FileSystemBlobStore.open(dir);
        return new BlobReportStore(blobs);
    }

    @Test
    void writesTheThreeRenderingsUnderTheProjectAndReport() throws Exception {
        store.save(Reports.sample("r-1", "p-1", Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(blobs.list("reports/")).extracting(BlobInfo::key).containsExactly(
                "reports/p-1/r-1/report.html", "reports/p-1/r-1/report.json", "reports/p-1/r-1/report.md");
        try (InputStream html = ((BlobReportStore) store).open("p-1", "r-1", ReportFormat.HTML).orElseThrow()) {
            assertThat(new String(html.readAllBytes(), StandardCharsets.UTF_8)).startsWith("<!DOCTYPE html>");
        }
    }

    @Test
    void refusesIdsThatAreNotOneKeySegment() {
        assertThatThrownBy(() -> store.save(Reports.sample("../x", "p-1", Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("report id '../x'");
        assertThat(store.find("../../etc/passwd")).isEmpty();
    }
}
