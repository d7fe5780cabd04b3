package dev.aar.core.extract;

import static dev.aar.core.extract.Archives.reject;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.ArchiveRejectedException.Reason;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.extract.Archives.Mode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every hostile case of the issue, through both extraction paths: refused with the right reason, nothing written. */
class HostileArchiveTest {

    static final ScaleLimits LIMITS = ScaleLimits.defaults();

    @TempDir
    Path root;

    private static byte[] zip(String name) {
        ZipBuilder b = new ZipBuilder();
        b.add("ok.txt", "fine");
        b.add(name, "evil");
        return b.build();
    }

    private void assertRejected(byte[] zip, Mode mode, Reason reason) {
        ArchiveRejectedException e = reject(zip, root, mode, LIMITS);
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        assertThat(e.getMessage()).isNotBlank();
        assertThat(e.code()).isEqualTo("archive." + reason.name().toLowerCase());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void dotDotIsRefused(Mode mode) {
        assertRejected(zip("../evil.txt"), mode, Reason.PATH_TRAVERSAL);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void dotDotInTheMiddleIsRefusedEvenWhenItStaysInside(Mode mode) {
        assertRejected(zip("a/../../evil.txt"), mode, Reason.PATH_TRAVERSAL);
        assertRejected(zip("a/b/../c.txt"), mode, Reason.PATH_TRAVERSAL);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void absolutePathIsRefused(Mode mode) {
        assertRejected(zip("/tmp/evil.txt"), mode, Reason.PATH_TRAVERSAL);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void backslashSeparatorIsRefused(Mode mode) {
        assertRejected(zip("a\\..\\..\\evil.txt"), mode, Reason.PATH_TRAVERSAL);
        assertRejected(zip("dir\\file.txt"), mode, Reason.PATH_TRAVERSAL);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void driveLetterIsRefused(Mode mode) {
        assertRejected(zip("C:/Windows/evil.txt"), mode, Reason.PATH_TRAVERSAL);
        assertRejected(zip("c:evil.txt"), mode, Reason.PATH_TRAVERSAL);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void siblingDirectorySharingTheTargetPrefixIsRefused(Mode mode) {
        assertRejected(zip("../out-evil/x.txt"), mode, Reason.PATH_TRAVERSAL);
        assertThat(root.resolve("out-evil")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void overlongNameIsRefused(Mode mode) {
        assertRejected(zip("a".repeat(1025)), mode, Reason.BAD_ENTRY_NAME);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void tooDeepPathIsRefused(Mode mode) {
        assertRejected(zip("d/".repeat(65) + "f.txt"), mode, Reason.BAD_ENTRY_NAME);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void nulAndControlCharactersAreRefused(Mode mode) {
        assertRejected(zip("evil\u0000.txt"), mode, Reason.BAD_ENTRY_NAME);
        assertRejected(zip("evil\u0007.txt"), mode, Reason.BAD_ENTRY_NAME);
        assertRejected(zip("evil\n.txt"), mode, Reason.BAD_ENTRY_NAME);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void tooManyEntriesAreRefused(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        for (int i = 0; i < 11; i++) {
            b.add("f" + i + ".txt", "x");
        }
        ArchiveRejectedException e = reject(b.build(), root, mode, LIMITS.toBuilder().maxArchiveEntries(10).build());
        assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_ENTRIES);
        assertThat(e.getMessage()).contains("MaxArchiveEntries = 10");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void tooManyIndexableFilesAreRefused(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        for (int i = 0; i < 11; i++) {
            b.add("f" + i + ".txt", "x");
        }
        ArchiveRejectedException e = reject(b.build(), root, mode, LIMITS.toBuilder().maxFilesPerProject(10).build());
        assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_FILES);
        assertThat(e.code()).isEqualTo("archive.too_many_files");
        assertThat(e.getMessage()).contains("MaxFilesPerProject = 10");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void excludedDirectoriesAndBinariesDoNotCountAsFiles(Mode mode) throws Exception {
        ZipBuilder b = new ZipBuilder();
        for (int i = 0; i < 40; i++) {
            b.add("node_modules/lib" + i + "/index.js", "module.exports = " + i + ";");
        }
        b.add("img.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0});
        for (int i = 0; i < 3; i++) {
            b.add("src/f" + i + ".js", "export const f = " + i + ";");
        }
        ExtractionResult r = Archives.extract(b.build(), root, mode,
                LIMITS.toBuilder().maxFilesPerProject(3).build(), ExtractionOptions.defaults());
        assertThat(r.filesWritten()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void totalOverTheCapIsRefused(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        for (int i = 0; i < 4; i++) {
            b.add("f" + i + ".txt", text(300_000, i));
        }
        ScaleLimits small = LIMITS.toBuilder().maxTotalUncompressedBytes(1_000_000).build();
        assertThat(reject(b.build(), root, mode, small).reason()).isEqualTo(Reason.TOO_LARGE);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void totalOverTheCapIsRefusedEvenWhenSizesLie(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        for (int i = 0; i < 4; i++) {
            b.add("f" + i + ".txt", text(300_000, i)).declaredSize(10);
        }
        ScaleLimits small = LIMITS.toBuilder().maxTotalUncompressedBytes(1_000_000).build();
        assertThat(reject(b.build(), root, mode, small).reason()).isIn(Reason.TOO_LARGE, Reason.CORRUPT);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void extremeCompressionRatioIsRefused(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        b.add("zeros.txt", new byte[0]).rawCompressed(ZipBuilder.deflate(new byte[40 << 20])).declaredSize(40 << 20);
        ScaleLimits l = LIMITS.toBuilder().maxFileSizeBytes(100L << 20).build();
        assertThat(reject(b.build(), root, mode, l).reason()).isEqualTo(Reason.COMPRESSION_RATIO);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void streamedBombWithUnknownSizesIsRefusedWhileInflating(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        b.add("zeros.txt", new byte[40 << 20]).descriptor();
        ScaleLimits l = LIMITS.toBuilder().maxFileSizeBytes(100L << 20).build();
        assertThat(reject(b.build(), root, mode, l).reason()).isEqualTo(Reason.COMPRESSION_RATIO);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void overlappingEntriesAreRefused(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        b.add("kernel.txt", text(100_000, 1));
        for (int i = 0; i < 50; i++) {
            b.add("copy" + i + ".txt", text(100_000, 1)).sharesDataOf(0);
        }
        assertThat(reject(b.build(), root, mode, LIMITS).reason()).isEqualTo(Reason.OVERLAPPING_ENTRIES);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void entryWhoseHeaderLiesInsideAnotherEntrysDataIsRefused(Mode mode) {
        ZipBuilder inner = new ZipBuilder();
        inner.add("inner.txt", "hidden").stored();
        byte[] innerZip = inner.build();
        ZipBuilder b = new ZipBuilder();
        b.add("carrier.bin", innerZip).stored();
        // its central record points at the inner local header stored inside the carrier's data
        b.add("inner.txt", "hidden").stored().pointsInto(0, 30 + "carrier.bin".length());
        assertThat(reject(b.build(), root, mode, LIMITS).reason()).isEqualTo(Reason.OVERLAPPING_ENTRIES);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void truncatedArchiveIsRefusedAndLeavesNothing(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        for (int i = 0; i < 20; i++) {
            b.add("f" + i + ".txt", text(20_000, i));
        }
        byte[] zip = b.build();
        for (int cut : new int[] {zip.length - 10, zip.length / 2, 100, 3}) {
            assertThat(reject(Arrays.copyOf(zip, cut), root, mode, LIMITS).reason()).isEqualTo(Reason.CORRUPT);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void badCrcIsRefusedAndLeavesNothing(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        b.add("good.txt", "good");
        b.add("bad.txt", text(50_000, 2)).crc(12345);
        assertThat(reject(b.build(), root, mode, LIMITS).reason()).isEqualTo(Reason.CORRUPT);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void badHeadersAreRefused(Mode mode) {
        assertThat(reject("this is not a zip file at all, just text".getBytes(StandardCharsets.UTF_8), root, mode,
                LIMITS).reason()).isEqualTo(Reason.CORRUPT);
        byte[] zip = zip("a.txt");
        zip[0] = 'X';
        assertThat(reject(zip, root, mode, LIMITS).reason()).isEqualTo(Reason.CORRUPT);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void localNameDifferingFromCentralNameIsRefused(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        b.add("innocent.txt", "x").localName("../evil.txt");
        Reason r = reject(b.build(), root, mode, LIMITS).reason();
        assertThat(r).isIn(Reason.CORRUPT, Reason.PATH_TRAVERSAL);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void oversizedUploadIsRefused(Mode mode) throws Exception {
        ZipBuilder b = new ZipBuilder();
        b.add("big.bin", new java.util.Random(1).ints(1_200_000).mapToObj(Integer::toString)
                .reduce(new StringBuilder(), StringBuilder::append, StringBuilder::append).toString()).stored();
        ScaleLimits l = LIMITS.toBuilder().maxUploadSizeMb(1).build();
        assertThat(reject(b.build(), root, mode, l).reason()).isEqualTo(Reason.UPLOAD_TOO_LARGE);
        assertThat(Files.list(root)).isEmpty();
    }

    static String text(int length, int seed) {
        StringBuilder sb = new StringBuilder(length);
        java.util.Random r = new java.util.Random(seed);
        while (sb.length() < length) {
            sb.append("line ").append(r.nextInt(1000)).append(" of some text\n");
        }
        return sb.substring(0, length);
    }

    static int indexOf(byte[] hay, byte[] needle, int nth) {
        int seen = 0;
        for (int i = 0; i <= hay.length - needle.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length) && seen++ == nth) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
