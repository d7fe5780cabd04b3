package dev.aar.benchmarks;

import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.storage.PolicyBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Seals and unseals one random blob again and again through {@link PolicyBlobStore} (encryption on,
 * compression off) over a {@link FileSystemBlobStore}, printing the rate of every round, so the JIT
 * warm-up of AES-GCM shows as well as the steady state.
 *
 * <p>Arguments: directory, MiB per round (default 64), rounds (default 10), segment size in bytes
 * (default {@link PolicyBlobStore#DEFAULT_SEGMENT_SIZE}).
 */
public final class SealingBenchmark {

    private SealingBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int segment = args.length > 3 ? Integer.parseInt(args[3]) : PolicyBlobStore.DEFAULT_SEGMENT_SIZE;
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        byte[] data = new byte[mib << 20];
        new Random(1).nextBytes(data);
        try (FileSystemBlobStore fs = FileSystemBlobStore.open(dir)) {
            PolicyBlobStore store = PolicyBlobStore.builder(fs).encryptionKey(key).compression(false).segmentSize(segment).build();
            System.out.printf("%d MiB per round, %d-byte segments%n", mib, segment);
            for (int round = 0; round < rounds; round++) {
                long t0 = System.nanoTime();
                store.put("blob", new ByteArrayInputStream(data));
                long t1 = System.nanoTime();
                long read = 0;
                try (InputStream in = store.get("blob").orElseThrow()) {
                    byte[] buf = new byte[65536];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        read += n;
                    }
                }
                long t2 = System.nanoTime();
                if (read != data.length) {
                    throw new IllegalStateException("read " + read + " bytes of " + data.length);
                }
                System.out.printf("round %d: seal %.0f MiB/s, unseal %.0f MiB/s%n", round, mib * 1e9 / (t1 - t0),
                        mib * 1e9 / (t2 - t1));
            }
            store.delete("blob");
        }
    }
}
