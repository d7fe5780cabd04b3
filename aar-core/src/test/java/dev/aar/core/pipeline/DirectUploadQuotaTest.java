package dev.aar.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.error.QuotaExceededException;
import dev.aar.core.wiring.internal.Collaborators;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A direct upload is checked against the storage quota before and while it is read, not after it was written. */
class DirectUploadQuotaTest {

    private static final String ORG = "org-q";
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path data;

    private Aar aar(long defaultStorageBytes) {
        return Aar.builder().dataDirectory(data).config(AarConfig.builder()
                .scaleLimits(ScaleLimits.builder().defaultStorageLimitBytes(defaultStorageBytes).build()).build()).build();
    }

    @Test
    void aDeclaredLengthOverTheQuotaIsRefusedBeforeAnyByteIsRead() {
        try (Aar aar = aar(1 * MIB)) {
            CountingStream body = new CountingStream(200 * MIB);
            assertThatThrownBy(() -> aar.analysis().createProject(ORG, "big.zip", body, 200 * MIB))
                    .isInstanceOfSatisfying(QuotaExceededException.class,
                            e -> assertThat(e.limit()).isEqualTo("StorageLimitBytes"));
            assertThat(body.read).isZero();
            assertThat(Collaborators.of(aar).quotaService().usage(ORG).orElseThrow().storageUsedBytes()).isZero();
            assertThat(aar.analysis().projects(ORG)).isEmpty();
        }
    }

    @Test
    void aBodyWithoutLengthStopsWithinOneStepOfTheQuotaAndKeepsNothing() {
        try (Aar aar = aar(2 * MIB)) {
            CountingStream body = new CountingStream(200 * MIB);
            assertThatThrownBy(() -> aar.analysis().createProject(ORG, "big.zip", body))
                    .isInstanceOf(QuotaExceededException.class);
            assertThat(body.read).as("bytes read before the refusal").isLessThanOrEqualTo(2 * MIB + 1024 * 1024);
            assertThat(Collaborators.of(aar).quotaService().usage(ORG).orElseThrow().storageUsedBytes()).isZero();
            assertThat(aar.analysis().projects(ORG)).isEmpty();
        }
    }

    @Test
    void anUploadThatFitsIsChargedItsSizeEvenWhenTheStepIsLargerThanWhatIsLeft() {
        try (Aar aar = aar(3 * MIB)) {
            var project = aar.analysis().createProject(ORG, "a.zip", new CountingStream(2 * MIB));
            assertThat(Collaborators.of(aar).quotaService().usage(ORG).orElseThrow().storageUsedBytes()).isEqualTo(project.archiveBytes());
            // 1 MiB left (less than a step): a file of 1 MiB without a length still fits
            var second = aar.analysis().createProject(ORG, "b.zip", new CountingStream(MIB - 4096));
            assertThat(Collaborators.of(aar).quotaService().usage(ORG).orElseThrow().storageUsedBytes())
                    .isEqualTo(project.archiveBytes() + second.archiveBytes());
        }
    }

    /** {@code size} zero bytes, counting what was read. */
    private static final class CountingStream extends InputStream {
        private final long size;
        long read;

        CountingStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return read < size ? (int) (0 * read++) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (read >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - read);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            read += n;
            return n;
        }
    }
}
