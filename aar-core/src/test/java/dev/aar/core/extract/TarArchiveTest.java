package dev.aar.core.extract;

import static dev.aar.core.extract.Archives.reject;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.ArchiveRejectedException.Reason;
import dev.aar.core.extract.Archives.Mode;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.PreflightService;
import dev.aar.core.preflight.TokenMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Tar, tar.gz and tar.xz through both extraction paths: what is kept, what is skipped, what is refused. */
class TarArchiveTest {

    static final ScaleLimits LIMITS = ScaleLimits.defaults();

    @TempDir
    Path root;

    enum Packing {
        TAR(TarBuilder::tar), TAR_GZ(TarBuilder::tarGz), TAR_XZ(TarBuilder::tarXz);

        final Function<TarBuilder, byte[]> pack;

        Packing(Function<TarBuilder, byte[]> pack) {
            this.pack = pack;
        }
    }

    static Stream<Arguments> everyWay() {
        return Arrays.stream(Packing.values()).flatMap(p -> Arrays.stream(Mode.values()).map(m -> Arguments.of(p, m)));
    }

    private ExtractionResult extract(byte[] archive, Mode mode, ScaleLimits limits) {
        return Archives.extract(archive, root, mode, limits, ExtractionOptions.builder().workers(2).build());
    }

    private Reason refused(byte[] archive, Mode mode, ScaleLimits limits) {
        ArchiveRejectedException e = reject(archive, root, mode, limits);
        assertThat(e.code()).startsWith("archive.");
        return e.reason();
    }

    private static TarBuilder project() {
        return new TarBuilder().directory("repo/").file("repo/src/A.java", "class A {}\n")
                .file("repo/README.md", "# readme\n").file("repo/node_modules/x/index.js", "module.exports = 1;\n")
                .file("repo/img.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
    }

    @ParameterizedTest
    @MethodSource("everyWay")
    void extractsFilesAndSkipsLikeAZip(Packing packing, Mode mode) throws IOException {
        ExtractionResult r = extract(packing.pack.apply(project()), mode, LIMITS);
        assertThat(r.filesWritten()).isEqualTo(2);
        assertThat(Files.readString(root.resolve("out/repo/src/A.java"))).isEqualTo("class A {}\n");
        assertThat(r.skipCounts()).containsEntry(SkipReason.EXCLUDED_DIRECTORY, 1L).containsEntry(SkipReason.BINARY, 1L);
    }

    @ParameterizedTest
    @EnumSource(Packing.class)
    void preflightCountsWhatExtractionWrites(Packing packing) throws IOException {
        byte[] archive = packing.pack.apply(project());
        AarConfig config = AarConfig.builder().build();
        PreflightService preflight = new PreflightService(config);
        Path file = Files.write(root.resolve("a.bin"), archive);
        PreflightResult fromFile = preflight.analyze(file, TokenMode.EXACT);
        PreflightResult fromStream = preflight.analyze(new ByteArrayInputStream(archive), TokenMode.EXACT,
                Cancellation.NEVER);
        assertThat(fromFile.isWithinLimits()).as(fromFile.rejectionReasons().toString()).isTrue();
        assertThat(fromFile.fileCount()).isEqualTo(2).isEqualTo(fromStream.fileCount());
        assertThat(fromFile.totalBytes()).isEqualTo(fromStream.totalBytes()).isEqualTo(20);
    }

    @ParameterizedTest
    @MethodSource("everyWay")
    void traversalAndAbsoluteNamesAreRefused(Packing packing, Mode mode) {
        for (String name : new String[] {"../evil.txt", "a/../../evil.txt", "/etc/evil.txt", "a\\..\\evil.txt"}) {
            byte[] archive = packing.pack.apply(new TarBuilder().file("ok.txt", "fine").file(name, "evil"));
            assertThat(refused(archive, mode, LIMITS)).as(name).isEqualTo(Reason.PATH_TRAVERSAL);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aLongNameCannotSmuggleATraversal(Mode mode) {
        byte[] gnu = new TarBuilder().gnuLongName("../../evil.txt").file("innocent.txt", "evil").tar();
        assertThat(refused(gnu, mode, LIMITS)).isEqualTo(Reason.PATH_TRAVERSAL);
        byte[] pax = new TarBuilder().pax("path", "a/../../evil.txt").file("innocent.txt", "evil").tar();
        assertThat(refused(pax, mode, LIMITS)).isEqualTo(Reason.PATH_TRAVERSAL);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anAbsolutePaxPathIsMadeRelativeAndStaysInside(Mode mode) throws IOException {
        // commons-compress drops the leading '/' of a PAX path (as GNU tar does): written under the target
        byte[] pax = new TarBuilder().pax("path", "/etc/evil.txt").file("innocent.txt", "x").tar();
        ExtractionResult r = extract(pax, mode, LIMITS);
        assertThat(r.filesWritten()).isEqualTo(1);
        assertThat(root.resolve("out/etc/evil.txt")).hasContent("x");
    }

    @ParameterizedTest
    @MethodSource("everyWay")
    void linksDevicesAndFifosAreSkippedNeverMaterialised(Packing packing, Mode mode) throws IOException {
        TarBuilder b = new TarBuilder().file("a.txt", "a")
                .entry("sym", '2', "/etc/passwd", new byte[0])
                .entry("hard", '1', "a.txt", new byte[0])
                .entry("hard-out", '1', "../../etc/passwd", new byte[0])
                .entry("dev", '3', "", new byte[0])
                .entry("blk", '4', "", new byte[0])
                .entry("fifo", '6', "", new byte[0])
                .entry("sym/inside.txt", '0', "", "through the link".getBytes(StandardCharsets.UTF_8));
        ExtractionResult r = extract(packing.pack.apply(b), mode, LIMITS);
        assertThat(r.skipCounts()).containsEntry(SkipReason.SYMLINK, 3L).containsEntry(SkipReason.SPECIAL_FILE, 3L);
        assertThat(r.skipped()).anySatisfy(s -> assertThat(s.detail()).contains("hard link"));
        try (Stream<Path> s = Files.walk(root.resolve("out"))) {
            assertThat(s.filter(Files::isSymbolicLink)).isEmpty();
        }
        // a link is never made, so a file "through" it is a plain file under a plain directory
        assertThat(root.resolve("out/sym/inside.txt")).hasContent("through the link");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void namesOverTheLimitsAreRefused(Mode mode) {
        byte[] gnu = new TarBuilder().gnuLongName("a".repeat(5_000)).file("x", "y").tar();
        assertThat(refused(gnu, mode, LIMITS)).isEqualTo(Reason.BAD_ENTRY_NAME);
        byte[] pax = new TarBuilder().pax("path", "d/".repeat(65) + "f.txt").file("x", "y").tar();
        assertThat(refused(pax, mode, LIMITS)).isEqualTo(Reason.BAD_ENTRY_NAME);
        byte[] control = new TarBuilder().file("evil\u0007.txt", "y").tar();
        assertThat(refused(control, mode, LIMITS)).isEqualTo(Reason.BAD_ENTRY_NAME);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void hugeHeadersAreRefusedWithBoundedMemory(Mode mode) {
        // 8 MiB of PAX records and of GNU long name compress to almost nothing: read as they come, capped at 1 MiB
        byte[] paxRecords = TarBuilder.paxRecord("comment", "c".repeat(8 << 20));
        byte[] pax = new TarBuilder().entry("PaxHeaders/x", 'x', "", paxRecords).file("x", "y").tarGz();
        byte[] longName = new TarBuilder().gnuLongName("n".repeat(8 << 20)).file("x", "y").tarGz();
        byte[] globals = new TarBuilder().entry("g", 'g', "", TarBuilder.paxRecord("k", "v".repeat(900_000)))
                .file("a", "a").entry("g", 'g', "", TarBuilder.paxRecord("k2", "v".repeat(900_000))).file("b", "b")
                .tarGz();
        for (byte[] archive : new byte[][] {pax, longName, globals}) {
            long before = MutatedArchiveFuzzTest.allocated();
            assertThat(refused(archive, mode, LIMITS)).isEqualTo(Reason.BAD_ENTRY_NAME);
            assertThat(MutatedArchiveFuzzTest.allocated() - before).isLessThan(32L << 20);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void giantDeclaredSizesAreRefused(Mode mode) {
        byte[] paxSize = new TarBuilder().pax("size", "99999999999999999").file("x.txt", "short").tar();
        assertThat(refused(paxSize, mode, LIMITS)).isIn(Reason.TOO_LARGE, Reason.CORRUPT);
        byte[] lying = new TarBuilder().header("x.txt", '0', "", 1_000_000).data("short".getBytes(StandardCharsets.UTF_8))
                .tar();
        assertThat(refused(lying, mode, LIMITS)).isEqualTo(Reason.CORRUPT);
    }

    @ParameterizedTest
    @MethodSource("everyWay")
    void limitsApplyAsForZip(Packing packing, Mode mode) {
        TarBuilder many = new TarBuilder();
        for (int i = 0; i < 11; i++) {
            many.file("f" + i + ".txt", "x");
        }
        byte[] archive = packing.pack.apply(many);
        assertThat(refused(archive, mode, LIMITS.toBuilder().maxArchiveEntries(10).build()))
                .isEqualTo(Reason.TOO_MANY_ENTRIES);
        assertThat(refused(archive, mode, LIMITS.toBuilder().maxFilesPerProject(10).build()))
                .isEqualTo(Reason.TOO_MANY_FILES);
        TarBuilder big = new TarBuilder();
        for (int i = 0; i < 4; i++) {
            big.file("f" + i + ".txt", HostileArchiveTest.text(300_000, i));
        }
        assertThat(refused(packing.pack.apply(big), mode, LIMITS.toBuilder().maxTotalUncompressedBytes(1_000_000).build()))
                .isEqualTo(Reason.TOO_LARGE);
        ExtractionResult r = extract(packing.pack.apply(big), mode, LIMITS.toBuilder().maxFileSizeBytes(100_000).build());
        assertThat(r.skipCounts()).containsEntry(SkipReason.TOO_LARGE, 4L);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void gzipBombIsRefusedOverTheWholeStreamEvenInAnExcludedDirectory(Mode mode) {
        byte[] zeros = new byte[64 << 20];
        byte[] bomb = new TarBuilder().file("zeros.txt", zeros).tarGz();
        assertThat(refused(bomb, mode, LIMITS)).isEqualTo(Reason.COMPRESSION_RATIO);
        byte[] hidden = new TarBuilder().file("node_modules/zeros.txt", zeros).tarGz();
        assertThat(refused(hidden, mode, LIMITS)).isEqualTo(Reason.COMPRESSION_RATIO);
        byte[] xz = new TarBuilder().file("node_modules/zeros.txt", zeros).tarXz();
        assertThat(refused(xz, mode, LIMITS)).isEqualTo(Reason.COMPRESSION_RATIO);
    }

    @ParameterizedTest
    @MethodSource("everyWay")
    void truncatedArchivesAreRefusedAndLeaveNothing(Packing packing, Mode mode) {
        TarBuilder b = new TarBuilder();
        for (int i = 0; i < 20; i++) {
            b.file("f" + i + ".txt", HostileArchiveTest.text(20_000, i));
        }
        byte[] archive = packing.pack.apply(b);
        for (int cut : new int[] {archive.length / 2, 700, 100}) {
            assertThat(refused(Arrays.copyOf(archive, cut), mode, LIMITS)).as("cut at " + cut)
                    .isEqualTo(Reason.CORRUPT);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void concatenatedGzipMembersAreOneTar(Mode mode) throws IOException {
        byte[] tar = new TarBuilder().file("a.txt", HostileArchiveTest.text(5_000, 1))
                .file("b.txt", HostileArchiveTest.text(5_000, 2)).tar();
        ByteArrayOutputStream members = new ByteArrayOutputStream();
        members.writeBytes(TarBuilder.gzip(Arrays.copyOf(tar, 3_000)));
        members.writeBytes(TarBuilder.gzip(Arrays.copyOfRange(tar, 3_000, tar.length)));
        ExtractionResult r = extract(members.toByteArray(), mode, LIMITS);
        assertThat(r.filesWritten()).isEqualTo(2);
        assertThat(root.resolve("out/b.txt")).hasContent(HostileArchiveTest.text(5_000, 2));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void duplicatesKeepTheFirst(Mode mode) throws IOException {
        ExtractionResult r = extract(new TarBuilder().file("a.txt", "first").file("./a.txt", "second").tar(), mode, LIMITS);
        assertThat(r.skipCounts()).containsEntry(SkipReason.DUPLICATE, 1L);
        assertThat(root.resolve("out/a.txt")).hasContent("first");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aGzipOfSomethingElseIsCorrupt(Mode mode) {
        byte[] notATar = TarBuilder.gzip("just some text, not a tar".repeat(100).getBytes(StandardCharsets.UTF_8));
        assertThat(refused(notATar, mode, LIMITS)).isEqualTo(Reason.CORRUPT);
    }

    @Test
    void aTarFromCommonsCompressWithPaxAndGnuNamesIsRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String longName = "src/" + "deep/".repeat(30) + "File.java";
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(longName);
            byte[] data = "class File {}\n".getBytes(StandardCharsets.UTF_8);
            e.setSize(data.length);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        ExtractionResult r = extract(TarBuilder.gzip(bytes.toByteArray()), Mode.FILE, LIMITS);
        assertThat(r.filesWritten()).isEqualTo(1);
        assertThat(root.resolve("out").resolve(longName)).hasContent("class File {}\n");
    }

    @TestFactory
    Stream<DynamicTest> mutatedTarsFailOnlyWithTypedErrors() {
        TarBuilder seed = new TarBuilder().directory("r/").file("r/A.java", HostileArchiveTest.text(3_000, 1))
                .pax("path", "r/" + "long/".repeat(30) + "B.java").file("x", HostileArchiveTest.text(800, 2))
                .gnuLongName("r/" + "gnu/".repeat(40) + "C.java").file("y", "c")
                .entry("r/link", '2', "A.java", new byte[0]).file("r/node_modules/x.js", "x");
        byte[][] seeds = {seed.tar(), seed.tarGz()};
        ScaleLimits limits = ScaleLimits.builder().maxFileSizeBytes(200_000).maxTotalUncompressedBytes(20_000_000).build();
        return IntStream.range(0, 120).mapToObj(n -> DynamicTest.dynamicTest("seed " + n, () -> {
            byte[] archive = MutatedArchiveFuzzTest.mutate(seeds[n % 2], new Random(n));
            MutatedArchiveFuzzTest.extractBothWays(archive, Files.createDirectories(root.resolve("c" + n)), limits);
        }));
    }
}
