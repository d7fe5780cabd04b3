package dev.aar.core.extract;

import static dev.aar.core.extract.HostileArchiveTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.aar.core.error.AarException;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.extract.Archives.Mode;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.PreflightService;
import dev.aar.core.preflight.TokenMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing: flipped bytes, overwritten header fields, truncations and splices of a
 * valid archive, through both extraction paths and preflight. Only typed errors may come out,
 * nothing may escape the target, and no run may allocate more than a bounded amount.
 * A failing seed is printed in the test name and can be replayed.
 */
class MutatedArchiveFuzzTest {

    private static final int CASES = 200;
    private static final long MAX_ALLOCATION_PER_RUN = 48L * 1024 * 1024;
    private static final ScaleLimits LIMITS = ScaleLimits.builder().maxFileSizeBytes(200_000)
            .maxTotalUncompressedBytes(20_000_000).maxFilesPerProject(1_000).build();
    private static final byte[] SEED_ARCHIVE = seedArchive();
    private static final PreflightService PREFLIGHT = new PreflightService(AarConfig.builder().scaleLimits(LIMITS).build(),
            dev.aar.core.preflight.ThroughputEstimator.coldStart(AarConfig.builder().scaleLimits(LIMITS).build()),
            ExtractionOptions.builder().workers(1).build());

    @TempDir
    Path root;

    private static byte[] seedArchive() {
        ZipBuilder b = new ZipBuilder();
        b.add("src/A.java", text(3_000, 1));
        b.add("src/B.java", text(500, 2)).stored();
        b.add("docs/readme.md", text(1_200, 3)).descriptor();
        b.add("z/64.txt", text(800, 4)).zip64();
        b.add("node_modules/x.js", "x");
        b.add("link", "src/A.java").mode(0120777);
        return b.build();
    }

    @TestFactory
    Stream<DynamicTest> mutatedArchivesFailOnlyWithTypedErrors() {
        return IntStream.range(0, CASES).mapToObj(seed ->
                DynamicTest.dynamicTest("seed " + seed, () -> runCase(seed, mutate(SEED_ARCHIVE, new Random(seed)))));
    }

    private void runCase(int seed, byte[] zip) throws IOException {
        Path caseRoot = Files.createDirectories(root.resolve("c" + seed));
        extractBothWays(zip, caseRoot, LIMITS);
        Path file = caseRoot.resolve("a.zip");
        Files.write(file, zip);
        long before = allocated();
        PreflightResult fromFile = PREFLIGHT.analyze(file, TokenMode.EXACT);
        PreflightResult fromStream = PREFLIGHT.analyze(new ByteArrayInputStream(zip), TokenMode.EXACT,
                Cancellation.NEVER);
        assertThat(allocated() - before).isLessThan(2 * MAX_ALLOCATION_PER_RUN);
        assertThat(fromFile.rejectionReasons()).allSatisfy(r -> assertThat(r.code()).startsWith("archive."));
        assertThat(fromStream.rejectionReasons()).allSatisfy(r -> assertThat(r.code()).startsWith("archive."));
    }

    /** Extracts {@code archive} through both paths: only typed errors, nothing outside the target, bounded allocation. */
    static void extractBothWays(byte[] archive, Path caseRoot, ScaleLimits limits) throws IOException {
        for (Mode mode : Mode.values()) {
            Path modeRoot = Files.createDirectories(caseRoot.resolve(mode.name()));
            long before = allocated();
            try {
                Archives.extract(archive, modeRoot, mode, limits, ExtractionOptions.builder().workers(1).build());
            } catch (AarException expected) {
                assertThat(expected.code()).startsWith("archive.");
                assertThat(modeRoot.resolve("out")).doesNotExist();
            }
            assertThat(allocated() - before).as("bytes allocated by one run").isLessThan(MAX_ALLOCATION_PER_RUN);
            Archives.assertContained(modeRoot, modeRoot.resolve("out"));
        }
    }

    static byte[] mutate(byte[] original, Random r) {
        byte[] zip = original.clone();
        int kind = r.nextInt(6);
        switch (kind) {
            case 0 -> { // random byte flips
                for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
                    zip[r.nextInt(zip.length)] ^= (byte) (1 + r.nextInt(255));
                }
            }
            case 1 -> { // a header field set to an extreme value
                int at = r.nextInt(zip.length - 4);
                int v = switch (r.nextInt(4)) {
                    case 0 -> 0xffffffff;
                    case 1 -> 0;
                    case 2 -> 0x7fffffff;
                    default -> r.nextInt();
                };
                for (int i = 0; i < 4; i++) {
                    zip[at + i] = (byte) (v >>> (8 * i));
                }
            }
            case 2 -> zip = Arrays.copyOf(zip, r.nextInt(zip.length)); // truncation
            case 3 -> { // a slice duplicated somewhere else
                int from = r.nextInt(zip.length);
                int len = r.nextInt(Math.min(200, zip.length - from) + 1);
                int to = r.nextInt(zip.length);
                byte[] out = new byte[zip.length + len];
                System.arraycopy(zip, 0, out, 0, to);
                System.arraycopy(zip, from, out, to, len);
                System.arraycopy(zip, to, out, to + len, zip.length - to);
                zip = out;
            }
            case 4 -> { // 16-bit length fields hit with large values
                int at = r.nextInt(zip.length - 2);
                zip[at] = (byte) 0xff;
                zip[at + 1] = (byte) r.nextInt(256);
            }
            default -> { // a deletion
                int from = r.nextInt(zip.length);
                int len = r.nextInt(Math.min(64, zip.length - from) + 1);
                byte[] out = new byte[zip.length - len];
                System.arraycopy(zip, 0, out, 0, from);
                System.arraycopy(zip, from + len, out, from, zip.length - from - len);
                zip = out;
            }
        }
        return zip;
    }

    static long allocated() {
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        return bean.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
