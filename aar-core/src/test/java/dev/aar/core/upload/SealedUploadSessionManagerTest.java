package dev.aar.core.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.storage.PolicyBlobStore;
import dev.aar.storage.BlobStore;
import dev.aar.storage.UploadSession;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The same faults with the storage policy (AES-256-GCM + compression) between the manager and the files. */
class SealedUploadSessionManagerTest extends FileSystemUploadSessionManagerContract {

    @Override
    BlobStore decorate(FileSystemBlobStore fs) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        return PolicyBlobStore.builder(fs).encryptionKey(key).compression(true).segmentSize(1024).build();
    }

    @Test
    void theAssembledFileIsEncryptedOnDisk() throws IOException {
        byte[] file = new byte[2 * PART];
        Arrays.fill(file, (byte) 'x');
        UploadSession s = manager.create(OWNER, "a.zip", file.length, sha256Hex(file));
        put(s, 1, file);
        put(s, 2, file);
        manager.finalizeSession(OWNER, s.id());
        try (InputStream raw = fs.get(s.storageKey()).orElseThrow()) {
            byte[] stored = raw.readAllBytes();
            assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("xxxxxxxx");
            assertThat(stored.length).isLessThan(file.length); // compressed before it was encrypted
        }
        assertStoredEquals(s, file);
    }
}
