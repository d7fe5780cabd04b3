package dev.aar.core.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.extract.IndexableFileRule;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real codebase: the JDK's own {@code lib/src.zip} (Temurin 25 here, else the running JDK's).
 * Counts must match what {@link ZipFile} sees, and FAST must agree with EXACT within 2% on a
 * deterministic sample of the sources (the full-archive measurement is in docs/BENCHMARKS.md).
 */
class JdkSourcesTest {

    static final ScaleLimits LIMITS = ScaleLimits.builder().maxFilesPerProject(100_000).build();

    @TempDir
    Path dir;

    static Path srcZip() {
        return dev.aar.core.testing.JdkSources.zip();
    }

    @Test
    void countsMatchAndFastAgreesWithExact() throws IOException {
        Path src = srcZip();
        assumeThat(src).as("no JDK src.zip on this machine").isNotNull();
        IndexableFileRule rule = IndexableFileRule.of(LIMITS);
        long files = 0;
        long bytes = 0;
        Path sample = dir.resolve("sample.zip");
        try (ZipFile zf = new ZipFile(src.toFile());
             OutputStream os = Files.newOutputStream(sample);
             ZipOutputStream out = new ZipOutputStream(os)) {
            out.setLevel(1);
            int i = 0;
            for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory() || rule.isExcluded(e.getName()) || rule.isTooLarge(e.getSize())) {
                    continue;
                }
                files++;
                bytes += e.getSize();
                if (i++ % 8 == 0) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    try (InputStream in = zf.getInputStream(e)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        PreflightService service = new PreflightService(AarConfig.builder().scaleLimits(LIMITS).build());
        PreflightResult full = service.analyze(src, TokenMode.FAST);
        assertThat(full.fileCount()).isEqualTo(files);
        assertThat(full.totalBytes()).isEqualTo(bytes);
        assertThat(full.isWithinLimits()).isTrue();
        assertThat(full.requiresApproval()).isTrue();

        PreflightResult fast = service.analyze(sample, TokenMode.FAST);
        PreflightResult exact = service.analyze(sample, TokenMode.EXACT);
        assertThat(fast.fileCount()).isEqualTo(exact.fileCount());
        double error = (double) (fast.estimatedTokens() - exact.estimatedTokens()) / exact.estimatedTokens();
        System.out.printf("JDK src.zip sample: %d files, exact %d tokens, fast %d tokens, error %.2f%%%n",
                exact.fileCount(), exact.estimatedTokens(), fast.estimatedTokens(), error * 100);
        assertThat(Math.abs(error)).isLessThan(0.02);
        assertThat(List.of(fast.rejectionReasons(), exact.rejectionReasons())).allSatisfy(r -> assertThat(r).isEmpty());
    }
}
