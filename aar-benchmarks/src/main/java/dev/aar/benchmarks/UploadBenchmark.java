package dev.aar.benchmarks;

import dev.aar.core.config.ResumableUpload;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.memory.InMemoryUploadSessionStore;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.storage.PolicyBlobStore;
import dev.aar.core.upload.UploadSessionManager;
import dev.aar.storage.BlobStore;
import dev.aar.storage.UploadSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * End-to-end upload benchmark (docs/BENCHMARKS.md, "Uploads"): a file uploaded in parts from
 * several threads through {@link UploadSessionManager} onto a {@link FileSystemBlobStore}, against a
 * plain single-threaded copy of the same bytes, plus finalize time for sessions of many parts.
 *
 * <p>Usage: {@code java -Xmx256m -cp benchmarks.jar dev.aar.benchmarks.UploadBenchmark DIR [MiB] [threads]}
 */
public final class UploadBenchmark {

    private static final int PART = 4 * 1024 * 1024;
    private static final String OWNER = "bench";
    private static final long WARMUP = 256L * 1024 * 1024;

    private UploadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/dev/shm/aar-upload-bench");
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Files.createDirectories(dir);
        Path source = dir.resolve("source.bin");
        long size = mib * 1024 * 1024;
        writeRandom(source, size);
        String sourceSha = sha256(Files.newInputStream(source));
        System.out.println("| mode | plain copy | copy + SHA-256 | upload (parts) | vs copy | vs copy+SHA | finalize | upload+finalize | heap after GC (peak) |");
        System.out.printf("source: %d MiB at %s, %d parts of 4 MiB, %d threads, max heap %d MiB%n", mib, dir,
                size / PART, threads, Runtime.getRuntime().maxMemory() >> 20);

        copy(source, dir.resolve("copy.bin"), true); // warm-up round for the baselines, not measured
        for (String mode : List.of("plain", "aes-gcm", "aes-gcm+deflate")) {
            // the baselines: warm (the JIT has compiled the copy loop and SHA-256 by the first mode's warm-up
            // round), best of three, so a slow first pass through tmpfs does not flatter the manager
            double copySeconds = bestOf(3, () -> copy(source, dir.resolve("copy.bin"), false));
            double hashCopySeconds = bestOf(3, () -> copy(source, dir.resolve("copy.bin"), true));

            Path storeDir = dir.resolve("store-" + mode);
            deleteTree(storeDir);
            try (FileSystemBlobStore fs = FileSystemBlobStore.open(storeDir)) {
                BlobStore store = decorate(fs, mode);
                UploadSessionManager manager = manager(store, PART, 50_000, (int) Math.max(1, mib));
                // warm the JIT (AES-GCM and SHA intrinsics only kick in once compiled), as a running server would be
                UploadSession warm = manager.create(OWNER, "warm.bin", Math.min(size, WARMUP), null);
                uploadParts(manager, warm, source, threads);
                manager.finalizeSession(OWNER, warm.id());
                store.delete(warm.storageKey());
                long heapBefore = usedHeapAfterGc();
                resetPeaks();
                long t1 = System.nanoTime();
                UploadSession s = manager.create(OWNER, "source.bin", size, null);
                uploadParts(manager, s, source, threads);
                long t2 = System.nanoTime();
                manager.finalizeSession(OWNER, s.id());
                long t3 = System.nanoTime();
                long peak = peakHeap();
                long heapAfter = usedHeapAfterGc();
                String storedSha = sha256(store.get(s.storageKey()).orElseThrow());
                if (!storedSha.equals(sourceSha)) {
                    throw new IllegalStateException("assembled file differs from the source");
                }
                double upload = (t2 - t1) / 1e9;
                double total = (t3 - t1) / 1e9;
                System.out.printf("| %s | %.0f MiB/s | %.0f MiB/s | %.0f MiB/s | %.0f%% | %.0f%% | %.2f s | %.0f MiB/s | %d → %d MiB (peak %d MiB) |%n",
                        mode, mib / copySeconds, mib / hashCopySeconds, mib / upload, 100 * copySeconds / upload,
                        100 * hashCopySeconds / upload, (t3 - t2) / 1e9, mib / total, heapBefore >> 20, heapAfter >> 20,
                        peak >> 20);
            }
            deleteTree(storeDir);
        }
        Files.delete(source);

        System.out.println();
        System.out.println("| mode | parts (4 KiB each) | finalize |");
        for (String mode : List.of("plain", "aes-gcm")) {
            for (int parts : new int[] {2_500, 5_000, 10_000}) {
                Path storeDir = dir.resolve("finalize-" + mode);
                deleteTree(storeDir);
                try (FileSystemBlobStore fs = FileSystemBlobStore.open(storeDir)) {
                    BlobStore store = decorate(fs, mode);
                    int part = 4096;
                    UploadSessionManager manager = manager(store, part, parts, 1024);
                    UploadSession s = manager.create(OWNER, "many.bin", (long) parts * part, null);
                    byte[] bytes = new byte[part];
                    new Random(parts).nextBytes(bytes);
                    for (int p = 1; p <= parts; p++) {
                        manager.putPart(OWNER, s.id(), p, new java.io.ByteArrayInputStream(bytes), part, null);
                    }
                    long t0 = System.nanoTime();
                    manager.finalizeSession(OWNER, s.id());
                    System.out.printf("| %s | %,d | %.0f ms |%n", mode, parts, (System.nanoTime() - t0) / 1e6);
                }
                deleteTree(storeDir);
            }
        }
    }

    private interface Timed {
        double run() throws Exception;
    }

    private static double bestOf(int rounds, Timed timed) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            best = Math.min(best, timed.run());
        }
        return best;
    }

    /** A plain streamed copy through a user-space buffer, fsynced like the store's writes, optionally hashing; returns seconds. */
    private static double copy(Path source, Path copy, boolean hash) throws Exception {
        long t0 = System.nanoTime();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
            while (in.read(buf) != -1) {
                buf.flip();
                if (hash) {
                    md.update(buf.duplicate());
                }
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                buf.clear();
            }
            out.force(true);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.delete(copy);
        return seconds;
    }

    private static UploadSessionManager manager(BlobStore store, int partSize, int maxParts, int maxMib) {
        return UploadSessionManager.builder().blobStore(store).sessionStore(new InMemoryUploadSessionStore())
                .resumableUpload(ResumableUpload.builder().chunkSizeBytes(partSize).maxPartsPerUpload(maxParts).build())
                .scaleLimits(ScaleLimits.builder().maxUploadSizeMb(maxMib).build()).build();
    }

    private static BlobStore decorate(FileSystemBlobStore fs, String mode) {
        byte[] key = new byte[32];
        new Random(42).nextBytes(key);
        return switch (mode) {
            case "plain" -> fs;
            case "aes-gcm" -> PolicyBlobStore.builder(fs).encryptionKey(key).compression(false).build();
            default -> PolicyBlobStore.builder(fs).encryptionKey(key).compression(true).build();
        };
    }

    private static void uploadParts(UploadSessionManager manager, UploadSession s, Path source, int threads)
            throws Exception {
        AtomicInteger next = new AtomicInteger(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.READ)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (int p = next.getAndIncrement(); p <= s.totalParts(); p = next.getAndIncrement()) {
                        long from = (long) (p - 1) * s.partSize();
                        long length = s.expectedPartSize(p);
                        manager.putPart(OWNER, s.id(), p, new RegionInputStream(channel, from, length), length, null);
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Streams one region of a file, as an HTTP request body would arrive: a buffer at a time. */
    private static final class RegionInputStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private long remaining;

        RegionInputStream(FileChannel channel, long position, long length) {
            this.channel = channel;
            this.position = position;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, remaining)), position);
            if (n < 0) {
                return -1;
            }
            position += n;
            remaining -= n;
            return n;
        }
    }

    private static void writeRandom(Path file, long size) throws IOException {
        Random random = new Random(7);
        byte[] chunk = new byte[1 << 20];
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, size - written)));
            }
        }
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (in) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) != -1) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
