package dev.aar.benchmarks;

import dev.aar.core.config.ScaleLimits;
import dev.aar.core.extract.Cancellation;
import dev.aar.core.extract.ExtractionListener;
import dev.aar.core.extract.ExtractionOptions;
import dev.aar.core.extract.StreamingZipExtractor;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.storage.PolicyBlobStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Extracts an encrypted stored ZIP as the pipeline's workspace does, alternately: copied to a file and walked,
 * and walked in place through {@link PolicyBlobStore#openChannel} (docs/BENCHMARKS.md, "Sealing without copies").
 *
 * <p>Usage: {@code java -Xmx512m -cp benchmarks.jar dev.aar.benchmarks.SealedExtractionBenchmark ZIP DIR ROUNDS}
 */
public final class SealedExtractionBenchmark {

    private SealedExtractionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path zip = Path.of(args[0]);
        Path dir = Path.of(args[1]);
        int rounds = Integer.parseInt(args[2]);
        byte[] key = new byte[32];
        ScaleLimits limits = ScaleLimits.builder().maxFilesPerProject(1_000_000).build();
        try (FileSystemBlobStore fs = FileSystemBlobStore.open(dir.resolve("store"))) {
            PolicyBlobStore store = PolicyBlobStore.builder(fs).encryptionKey(key).compression(false).build();
            try (InputStream in = Files.newInputStream(zip)) {
                store.put("a.zip", in);
            }
            StreamingZipExtractor x = new StreamingZipExtractor(limits, ExtractionOptions.builder().workers(1).build());
            for (int r = 0; r < rounds; r++) {
                for (String mode : new String[] {"copy", "channel"}) {
                    Path out = dir.resolve("out-" + mode);
                    delete(out);
                    long t0 = System.nanoTime();
                    long files;
                    if (mode.equals("copy")) {
                        Path copy = dir.resolve("archive.zip");
                        try (InputStream in = store.get("a.zip").orElseThrow(); OutputStream o = Files.newOutputStream(copy)) {
                            in.transferTo(o);
                        }
                        files = x.extract(copy, out, ExtractionListener.NONE, Cancellation.NEVER).filesWritten();
                        Files.delete(copy);
                    } else {
                        try (SeekableByteChannel ch = store.openChannel("a.zip").orElseThrow()) {
                            files = x.extract(ch, out, ExtractionListener.NONE, Cancellation.NEVER).filesWritten();
                        }
                    }
                    System.out.printf("round %d %s: %d files, %.2f s, load %s%n", r, mode, files, (System.nanoTime() - t0) / 1e9,
                            Files.readString(Path.of("/proc/loadavg")).substring(0, 14));
                }
            }
        }
    }

    static void delete(Path p) throws Exception {
        if (Files.exists(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
