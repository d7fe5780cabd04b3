package dev.aar.benchmarks;

import dev.aar.core.storage.PolicyBlobStore;
import dev.aar.storage.BlobInfo;
import dev.aar.storage.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Seals random bytes through {@link PolicyBlobStore} (encrypted) into a store that discards them and prints,
 * per round, the wall rate and the rate per CPU second of the sealing thread: the CPU rate hardly moves with
 * the machine's load, so builds can be compared on a shared machine (docs/BENCHMARKS.md, "Sealing without
 * copies"). Three unmeasured 256 MiB rounds warm the JIT first.
 *
 * <p>Usage: {@code java -Xmx512m -cp benchmarks.jar dev.aar.benchmarks.SealingCpuBenchmark MiB ROUNDS [deflate]}
 */
public final class SealingCpuBenchmark {
    private SealingCpuBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int mib = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        boolean deflate = args.length > 2 && args[2].equals("deflate");
        byte[] chunk = new byte[64 << 20];
        new Random(1).nextBytes(chunk);
        byte[] key = new byte[32];
        PolicyBlobStore store = PolicyBlobStore.builder(new Sink()).encryptionKey(key).compression(deflate).build();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int r = -3; r < rounds; r++) {
            int n = r < 0 ? 256 : mib;
            List<InputStream> parts = new java.util.ArrayList<>();
            for (int i = 0; i < n / 64; i++) {
                parts.add(new ByteArrayInputStream(chunk));
            }
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            store.put("k", new SequenceInputStream(Collections.enumeration(parts)));
            long t1 = System.nanoTime();
            long c1 = threads.getCurrentThreadCpuTime();
            if (r >= 0) {
                System.out.printf("round %d: %d MiB, wall %.0f MiB/s, cpu %.0f MiB/s%n", r, n, n * 1e9 / (t1 - t0), n * 1e9 / (c1 - c0));
            }
        }
    }

    static final class Sink implements BlobStore {
        public long put(String key, InputStream data) {
            byte[] buf = new byte[65536];
            long total = 0;
            try {
                int k;
                while ((k = data.read(buf)) > 0) {
                    total += k;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return total;
        }
        public Optional<InputStream> get(String key) { return Optional.empty(); }
        public Optional<BlobInfo> stat(String key) { return Optional.empty(); }
        public boolean delete(String key) { return false; }
        public List<BlobInfo> list(String prefix) { return List.of(); }
        public long stagePart(String key, String uploadId, int partNumber, InputStream data) { return put(key, data); }
        public BlobInfo commitParts(String key, String uploadId, List<Integer> partNumbers) { throw new UnsupportedOperationException(); }
        public void abortParts(String key, String uploadId) { }
    }
}
