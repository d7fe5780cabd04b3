package dev.aar.benchmarks;

import dev.aar.core.config.ScaleLimits;
import dev.aar.core.extract.Cancellation;
import dev.aar.core.extract.ExtractionOptions;
import dev.aar.core.extract.SkipReason;
import dev.aar.core.extract.internal.ArchiveWalker;
import dev.aar.core.extract.internal.EntryContent;
import dev.aar.core.extract.internal.EntryVisitor;
import dev.aar.core.extract.internal.ZipLimits;
import java.nio.file.Path;

/**
 * The ZIP walk without the data: central directory, checks, skips and local headers, best of 10 walks
 * per archive on one thread, for docs/BENCHMARKS.md. To compare with another build, put its
 * {@code aar-core/target/classes} before the jar:
 * <pre>
 * java -Xmx64m -cp [other/aar-core/target/classes:]aar-benchmarks/target/benchmarks.jar \
 *     dev.aar.benchmarks.ZipWalkMain ZIP...
 * </pre>
 */
public final class ZipWalkMain {

    private ZipWalkMain() {
    }

    public static void main(String[] args) throws Exception {
        ZipLimits limits = ZipLimits.of(ScaleLimits.builder().maxArchiveEntries(60_000).maxFilesPerProject(1_000_000)
                .maxUploadSizeMb(4096).build(), ExtractionOptions.defaults());
        EntryVisitor visitor = new EntryVisitor() {
            @Override
            public void file(String path, long declaredSize, EntryContent content) {
            }

            @Override
            public void skipped(String path, SkipReason reason, String detail) {
            }
        };
        for (String arg : args) {
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 10; i++) {
                long t0 = System.nanoTime();
                ArchiveWalker.walk(Path.of(arg), limits, 1, Cancellation.NEVER, visitor);
                best = Math.min(best, System.nanoTime() - t0);
            }
            System.out.printf("%s: best of 10 walks %d ms%n", Path.of(arg).getFileName(), best / 1_000_000);
        }
    }
}
