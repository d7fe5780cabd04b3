package dev.aar.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.error.QuotaExceededException;
import dev.aar.storage.UploadSession;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AarUploadWiringTest {

    @TempDir
    Path dir;

    @Test
    void theUploadManagerUsesTheWiredStoresAndChargesTheQuota() throws Exception {
        try (Aar aar = Aar.builder().dataDirectory(dir).build()) {
            aar.quotaService().setLimits("org", 0, 0, 10);
            byte[] data = "0123456789".getBytes();
            UploadSession s = aar.uploadSessionManager().create("org", "a.zip", data.length, null);
            assertThatThrownBy(() -> aar.uploadSessionManager().create("org", "b.zip", 1, null))
                    .isInstanceOf(QuotaExceededException.class);
            aar.uploadSessionManager().putPart("org", s.id(), 1, new ByteArrayInputStream(data), data.length, null);
            aar.uploadSessionManager().finalizeSession("org", s.id());
            assertThat(aar.uploadSessionStore().find(s.id()).orElseThrow().status().name()).isEqualTo("COMPLETED");
            try (InputStream in = aar.blobStore().get(s.storageKey()).orElseThrow()) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }
    }
}
