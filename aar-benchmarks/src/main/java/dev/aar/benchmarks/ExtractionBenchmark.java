package dev.aar.benchmarks;

import com.knuddels.jtokkit.api.Encoding;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.extract.ExtractionOptions;
import dev.aar.core.extract.ExtractionResult;
import dev.aar.core.extract.StreamingZipExtractor;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.PreflightService;
import dev.aar.core.preflight.ThroughputEstimator;
import dev.aar.core.preflight.TokenMode;
import dev.aar.core.tokens.Tokenizers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * End-to-end numbers for docs/BENCHMARKS.md "Extraction and preflight". Run with -Xmx64m:
 * <pre>
 * java -Xmx64m -cp aar-benchmarks/target/benchmarks.jar dev.aar.benchmarks.ExtractionBenchmark \
 *     extract|exact|error  ARCHIVE...  [--out /dev/shm]
 * </pre>
 * {@code extract}: StreamingZipExtractor against {@code unzip -q} (for a tar: GNU {@code tar -x}) into tmpfs,
 * alternating, 3 rounds each.
 * {@code exact}: preflight EXACT throughput with 1 and N workers against jtokkit on one thread.
 * {@code error}: FAST against EXACT token counts per archive.
 */
public final class ExtractionBenchmark {

    private static final ScaleLimits LIMITS = ScaleLimits.builder().maxFilesPerProject(1_000_000)
            .maxUploadSizeMb(4096).build();

    private ExtractionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String what = args[0];
        List<Path> archives = new ArrayList<>();
        Path out = Path.of("/dev/shm");
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--out")) {
                out = Path.of(args[++i]);
            } else {
                archives.add(Path.of(args[i]));
            }
        }
        System.out.printf("cores %d, max heap %d MiB, java %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
        for (Path archive : archives) {
            switch (what) {
                case "extract" -> extract(archive, out);
                case "exact" -> exact(archive);
                case "error" -> error(archive);
                default -> throw new IllegalArgumentException("extract, exact or error, not " + what);
            }
        }
    }

    private static void extract(Path archive, Path out) throws Exception {
        long[] ours = new long[3];
        long[] unzip = new long[3];
        ExtractionResult last = null;
        for (int round = 0; round < 3; round++) {
            Path a = out.resolve("aar-bench-aar");
            Path u = out.resolve("aar-bench-unzip");
            delete(a);
            delete(u);
            long t0 = System.nanoTime();
            last = new StreamingZipExtractor(LIMITS, ExtractionOptions.defaults()).extract(archive, a);
            ours[round] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            Process p = new ProcessBuilder(reference(archive, u)).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(reference(archive, u) + " failed");
            }
            unzip[round] = System.nanoTime() - t0;
            delete(a);
            delete(u);
        }
        double o = median(ours) / 1e6;
        double z = median(unzip) / 1e6;
        System.out.printf(Locale.ROOT, "extract %s: %d files, %d bytes; aar median %.0f ms (%s), %s median %.0f ms (%s);"
                        + " ratio %.2f%n", archive.getFileName(), last.filesWritten(), last.bytesWritten(), o, ms(ours), reference(archive, out).get(0), z,
                ms(unzip), o / z);
    }

    /** The system tool that extracts {@code archive} into {@code dir}: unzip for a ZIP, GNU tar (by the name's suffix) for a tar. */
    private static List<String> reference(Path archive, Path dir) throws IOException {
        String name = archive.getFileName().toString();
        String flags = name.endsWith(".tar.gz") || name.endsWith(".tgz") ? "-xzf"
                : name.endsWith(".tar.xz") ? "-xJf" : name.endsWith(".tar") ? "-xf" : null;
        if (flags == null) {
            return List.of("unzip", "-q", archive.toString(), "-d", dir.toString());
        }
        Files.createDirectories(dir);
        return List.of("tar", flags, archive.toString(), "-C", dir.toString());
    }

    private static void exact(Path archive) throws IOException {
        long bytes = 0;
        Encoding enc = Tokenizers.encoding("cl100k_base");
        long tokens = 0;
        long t0 = System.nanoTime();
        try (ZipFile zf = new ZipFile(archive.toFile())) {
            for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                try (InputStream in = zf.getInputStream(e)) {
                    byte[] b = in.readAllBytes();
                    bytes += b.length;
                    tokens += enc.countTokensOrdinary(new String(b, StandardCharsets.UTF_8));
                }
            }
        }
        double jt = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "jtokkit one thread (inflate + decode + count, java.util.zip): %d tokens, %.1f MB/s%n",
                tokens, bytes / 1e6 / jt);
        for (int workers : new int[] {1, Runtime.getRuntime().availableProcessors()}) {
            PreflightService s = new PreflightService(AarConfig.builder().scaleLimits(LIMITS).build(),
                    ThroughputEstimator.coldStart(AarConfig.builder().scaleLimits(LIMITS).build()),
                    ExtractionOptions.builder().workers(workers).build());
            t0 = System.nanoTime();
            PreflightResult r = s.analyze(archive, TokenMode.EXACT);
            double sec = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "preflight EXACT, %d worker(s): %d tokens, %.1f s, %.1f MB/s, %.1f MB/s per core%n",
                    workers, r.estimatedTokens(), sec, r.totalBytes() / 1e6 / sec, r.totalBytes() / 1e6 / sec / workers);
        }
    }

    private static void error(Path archive) {
        PreflightService s = new PreflightService(AarConfig.builder().scaleLimits(LIMITS).build());
        long t0 = System.nanoTime();
        PreflightResult fast = s.analyze(archive, TokenMode.FAST);
        double fastSec = (System.nanoTime() - t0) / 1e9;
        PreflightResult exact = s.analyze(archive, TokenMode.EXACT);
        double err = 100.0 * (fast.estimatedTokens() - exact.estimatedTokens()) / exact.estimatedTokens();
        System.out.printf(Locale.ROOT, "error %s: %d files, %d bytes; exact %d tokens, fast %d tokens (%.1f s in-process);"
                        + " error %+.2f%%%n", archive.getFileName(), exact.fileCount(), exact.totalBytes(),
                exact.estimatedTokens(), fast.estimatedTokens(), fastSec, err);
    }

    private static long median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static String ms(long[] v) {
        return Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.0f", x / 1e6)).toList().toString();
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
