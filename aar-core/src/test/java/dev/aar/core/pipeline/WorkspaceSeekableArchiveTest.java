package dev.aar.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.error.BlobIntegrityException;
import dev.aar.core.internal.FileTrees;
import dev.aar.core.project.Project;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.storage.PolicyBlobStore;
import dev.aar.core.worker.JobContext;
import dev.aar.storage.BlobStore;
import dev.aar.storage.ForwardingBlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stored ZIP that can be read by seeking is extracted where it is stored, without a copy in the workspace. */
class WorkspaceSeekableArchiveTest {

    static final byte[] KEY = new byte[32];

    @TempDir
    Path dir;
    FileSystemBlobStore fs;
    Counting counting;

    @BeforeEach
    void open() {
        fs = FileSystemBlobStore.open(dir.resolve("store"));
        counting = new Counting(fs);
    }

    @AfterEach
    void close() {
        fs.close();
    }

    @Test
    void aSealedStoredZipIsExtractedWithoutACopyAndAgainAfterTheWorkspaceIsGone() throws IOException {
        BlobStore blobs = PolicyBlobStore.builder(counting).encryptionKey(KEY).compression(false).segmentSize(4096).build();
        blobs.put("archives/p1.zip", new ByteArrayInputStream(zip(40)));

        Workspace.Extracted first = extract(blobs, "job-1");

        assertThat(first.files()).isEqualTo(40);
        assertThat(counting.wholeReads).hasValue(0);
        assertThat(counting.archiveSeen).isFalse();
        assertThat(first.sources().resolve("src/F7.java")).content(StandardCharsets.UTF_8).isEqualTo(body(7));

        // another node (or a cleaned directory): extracted again from the stored archive, the same way
        FileTrees.delete(dir.resolve("work/job-1"));
        Workspace.Extracted again = extract(blobs, "job-1");
        assertThat(again.files()).isEqualTo(40);
        assertThat(counting.wholeReads).hasValue(0);
    }

    @Test
    void anArchiveUploadedInPartsIsExtractedWithoutACopy() throws IOException {
        BlobStore blobs = PolicyBlobStore.builder(counting).encryptionKey(KEY).compression(false).segmentSize(4096).build();
        byte[] zip = zip(200);
        int part = 4 * 1024;
        List<Integer> order = new ArrayList<>();
        for (int p = 1; (p - 1) * part < zip.length; p++) {
            int from = (p - 1) * part;
            blobs.stagePart("archives/p1.zip", "up", p,
                    new ByteArrayInputStream(zip, from, Math.min(part, zip.length - from)));
            order.add(p);
        }
        blobs.commitParts("archives/p1.zip", "up", order);
        assertThat(order).hasSizeGreaterThan(3);

        assertThat(extract(blobs, "job-2").files()).isEqualTo(200);
        assertThat(counting.wholeReads).hasValue(0);
        assertThat(counting.archiveSeen).isFalse();
    }

    @Test
    void aPlainStoreIsReadByRangesAndACompressedBlobIsStillCopied() throws IOException {
        fs.put("archives/plain.zip", new ByteArrayInputStream(zip(10)));
        Workspace.Extracted plain = extract(counting, "archives/plain.zip", "job-3");
        assertThat(plain.files()).isEqualTo(10);
        assertThat(counting.wholeReads).hasValue(0);

        // stored entries of text compress: the blob is deflated, so it is copied to a file first (and deleted)
        BlobStore deflating = PolicyBlobStore.builder(counting).encryptionKey(KEY).compression(true).build();
        deflating.put("archives/text.zip", new ByteArrayInputStream(zip(10)));
        assertThat(extract(deflating, "archives/text.zip", "job-4").files()).isEqualTo(10);
        assertThat(counting.wholeReads).hasValue(1);
        assertThat(dir.resolve("work/job-4/archive.zip")).doesNotExist();
    }

    @Test
    void aTamperedSealedArchiveIsATypedError() throws IOException {
        BlobStore blobs = PolicyBlobStore.builder(counting).encryptionKey(KEY).compression(false).segmentSize(4096).build();
        blobs.put("archives/p1.zip", new ByteArrayInputStream(zip(40)));
        Path stored;
        try (java.util.stream.Stream<Path> files = Files.walk(fs.root().resolve("blobs"))) {
            stored = files.filter(f -> f.getFileName().toString().startsWith("p1.zip")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 1;
        Files.write(stored, bytes);

        assertThatThrownBy(() -> extract(blobs, "job-5")).isInstanceOf(BlobIntegrityException.class);
    }

    private Workspace.Extracted extract(BlobStore blobs, String jobId) {
        return extract(blobs, "archives/p1.zip", jobId);
    }

    private Workspace.Extracted extract(BlobStore blobs, String key, String jobId) {
        counting.watch(dir.resolve("work").resolve(jobId).resolve("archive.zip"));
        return extract(dir.resolve("work"), blobs, key, jobId);
    }

    /** The sources of job {@code jobId}, whose project's archive is {@code key}, from a workspace in {@code work}. */
    static Workspace.Extracted extract(Path work, BlobStore blobs, String key, String jobId) {
        Workspace workspace = new Workspace(work, blobs, ScaleLimits.defaults(),
                JsonMapper.builder().addModule(new JavaTimeModule()).build());
        JobContext job = mock(JobContext.class);
        when(job.jobId()).thenReturn(jobId);
        Project project = mock(Project.class);
        when(project.archiveKey()).thenReturn(key);
        return workspace.sources(job, project);
    }

    static String body(int i) {
        return "class F" + i + " { int x = " + i + "; }\n";
    }

    /** A ZIP of {@code n} stored (not deflated) Java files and a deflated one of random bytes. */
    static byte[] zip(int n) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < n; i++) {
                byte[] b = body(i).getBytes(StandardCharsets.UTF_8);
                ZipEntry e = new ZipEntry("src/F" + i + ".java");
                e.setMethod(ZipEntry.STORED);
                e.setSize(b.length);
                CRC32 crc = new CRC32();
                crc.update(b);
                e.setCrc(crc.getValue());
                zip.putNextEntry(e);
                zip.write(b);
                zip.closeEntry();
            }
            byte[] noise = new byte[3000];
            new Random(n).nextBytes(noise);
            zip.putNextEntry(new ZipEntry("data/noise.bin"));
            zip.write(noise);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** Counts whole-blob reads, and notes whether a copy of the archive ever appears in the workspace. */
    static final class Counting extends ForwardingBlobStore {
        final AtomicInteger wholeReads = new AtomicInteger();
        volatile Path watched;
        volatile boolean archiveSeen;

        Counting(BlobStore delegate) {
            super(delegate);
        }

        void watch(Path archive) {
            watched = archive;
        }

        @Override
        public Optional<InputStream> get(String key) {
            wholeReads.incrementAndGet();
            return super.get(key);
        }

        @Override
        public Optional<InputStream> get(String key, long offset, long length) {
            if (watched != null && Files.exists(watched)) {
                archiveSeen = true;
            }
            return super.get(key, offset, length);
        }
    }
}
