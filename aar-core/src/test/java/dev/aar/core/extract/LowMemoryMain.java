package dev.aar.core.extract;

import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.PreflightService;
import dev.aar.core.preflight.TokenMode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by {@link LowMemoryTest} in a JVM with {@code -Xmx64m}: extracts (both paths) and preflights
 * (both modes) each archive given, printing one line per run: {@code name mode OK|REJECTED code}.
 * Any other outcome, an OutOfMemoryError included, ends the JVM with a non-zero status.
 */
public final class LowMemoryMain {

    private LowMemoryMain() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int maxFiles = Integer.parseInt(args[1]);
        ScaleLimits limits = ScaleLimits.builder().maxFilesPerProject(maxFiles).build();
        StreamingZipExtractor extractor = new StreamingZipExtractor(limits);
        PreflightService preflight = new PreflightService(AarConfig.builder().scaleLimits(limits).build());
        for (int i = 2; i < args.length; i++) {
            Path zip = Path.of(args[i]);
            String name = zip.getFileName().toString();
            run(name + " extract-file", () -> extractor.extract(zip, work.resolve(name + "-file")).filesWritten());
            run(name + " extract-stream", () -> {
                try (InputStream in = Files.newInputStream(zip)) {
                    return extractor.extract(in, work.resolve(name + "-stream"), ExtractionListener.NONE,
                            Cancellation.NEVER).filesWritten();
                }
            });
            run(name + " preflight-fast", () -> verdict(preflight.analyze(zip, TokenMode.FAST)));
            run(name + " preflight-stream", () -> {
                try (InputStream in = Files.newInputStream(zip)) {
                    return verdict(preflight.analyze(in, TokenMode.FAST, Cancellation.NEVER));
                }
            });
        }
        System.out.println("heap max " + Runtime.getRuntime().maxMemory());
    }

    private static long verdict(PreflightResult r) {
        if (!r.isWithinLimits()) {
            throw new ArchiveRejectedException(ArchiveRejectedException.Reason.CORRUPT, null,
                    r.rejectionReasons().get(0).code());
        }
        return r.fileCount();
    }

    private interface Run {
        long call() throws Exception;
    }

    private static void run(String label, Run run) throws Exception {
        try {
            System.out.println(label + " OK " + run.call());
        } catch (ArchiveRejectedException e) {
            System.out.println(label + " REJECTED " + (e.entryName() == null && e.getMessage().startsWith("archive.")
                    ? e.getMessage() : e.code()));
        }
    }
}
