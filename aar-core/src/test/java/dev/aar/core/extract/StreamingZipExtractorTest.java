package dev.aar.core.extract;

import static dev.aar.core.extract.HostileArchiveTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.config.ScaleLimits;
import dev.aar.core.extract.Archives.Mode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Valid archives and reported skips, through both paths, which must agree. */
class StreamingZipExtractorTest {

    static final ScaleLimits LIMITS = ScaleLimits.defaults();

    @TempDir
    Path root;

    private ExtractionResult extract(byte[] zip, Mode mode) {
        return extract(zip, mode, LIMITS);
    }

    private ExtractionResult extract(byte[] zip, Mode mode, ScaleLimits limits) {
        return Archives.extract(zip, root, mode, limits, ExtractionOptions.builder().workers(2).build());
    }

    private Path out() {
        return root.resolve("out");
    }

    private static Map<SkipReason, Long> counts(ExtractionResult r) {
        return r.skipCounts();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void emptyArchiveGivesAnEmptyDirectory(Mode mode) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ZipOutputStream(bytes).close();
        ExtractionResult r = extract(bytes.toByteArray(), mode);
        assertThat(r.entries()).isZero();
        assertThat(r.filesWritten()).isZero();
        assertThat(out()).isEmptyDirectory();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void writesFilesAndSkipsExcludedDirectoriesBySegmentOnly(Mode mode) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            put(z, "src/Main.java", "class Main {}");
            put(z, "src/node_modules/lib.js", "x");
            put(z, "node_modules/a/b.js", "x");
            put(z, "src/node_modules_like/kept.js", "kept");
            put(z, "tools/build", "a file named build is kept");
            put(z, ".git/config", "x");
            z.putNextEntry(new ZipEntry("docs/"));
            z.closeEntry();
            put(z, "docs/readme.md", "# hi");
        }
        ExtractionResult r = extract(bytes.toByteArray(), mode);
        assertThat(r.filesWritten()).isEqualTo(4);
        assertThat(counts(r)).containsEntry(SkipReason.EXCLUDED_DIRECTORY, 3L);
        assertThat(out().resolve("src/node_modules_like/kept.js")).hasContent("kept");
        assertThat(out().resolve("tools/build")).exists();
        assertThat(out().resolve("src/node_modules")).doesNotExist();
        assertThat(out().resolve("src/Main.java")).hasContent("class Main {}");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void configuredExclusionsReplaceTheDefaults(Mode mode) throws IOException {
        ZipBuilder b = new ZipBuilder();
        b.add("vendor/x.php", "x");
        b.add("node_modules/y.js", "y");
        ExtractionResult r = extract(b.build(), mode, LIMITS.toBuilder().excludedDirectories(List.of("vendor")).build());
        assertThat(r.filesWritten()).isEqualTo(1);
        assertThat(out().resolve("node_modules/y.js")).exists();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void linksDevicesEncryptedAndUnsupportedAreSkippedAndReported(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        b.add("link", "/etc/passwd").mode(0120777);
        b.add("dev", "x").mode(0020644);
        b.add("fifo", "x").mode(0010644);
        b.add("secret.txt", "x").encrypted();
        b.add("lzma.txt", "x").stored().method(14); // LZMA: not decoded
        b.add("ok.txt", "ok");
        ExtractionResult r = extract(b.build(), mode);
        assertThat(r.filesWritten()).isEqualTo(1);
        assertThat(counts(r)).containsEntry(SkipReason.SYMLINK, 1L).containsEntry(SkipReason.SPECIAL_FILE, 2L)
                .containsEntry(SkipReason.ENCRYPTED, 1L).containsEntry(SkipReason.UNSUPPORTED_COMPRESSION, 1L);
        assertThat(out().resolve("link")).doesNotExist();
        assertThat(Files.isSymbolicLink(out().resolve("link"))).isFalse();
        assertThat(r.skipped()).extracting(SkippedEntry::path).contains("link", "dev", "fifo", "secret.txt", "lzma.txt");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void binaryAndOversizedFilesAreSkippedEvenWhenDeclaredSizesLie(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        b.add("image.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1});
        b.add("big.txt", text(5_000, 1));
        b.add("liar.txt", text(50_000, 2)).declaredSize(10);
        b.add("small.txt", "small");
        ExtractionResult r = extract(b.build(), mode, LIMITS.toBuilder().maxFileSizeBytes(4_000).build());
        assertThat(r.filesWritten()).isEqualTo(1);
        assertThat(counts(r)).containsEntry(SkipReason.BINARY, 1L).containsEntry(SkipReason.TOO_LARGE, 2L);
        assertThat(out().resolve("liar.txt")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void duplicatesKeepTheFirst(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        b.add("a.txt", "first");
        b.add("./a.txt", "second");
        b.add("b//a.txt", "x");
        b.add("b/a.txt", "y");
        ExtractionResult r = extract(b.build(), mode);
        assertThat(out().resolve("a.txt")).hasContent("first");
        assertThat(out().resolve("b/a.txt")).hasContent("x");
        assertThat(counts(r)).containsEntry(SkipReason.DUPLICATE, 2L);
    }

    /** Extracted sources are a customer's code: the target, its directories and files are owner-only. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void extractedFilesAndDirectoriesAreOwnerOnly(Mode mode) {
        dev.aar.core.internal.FileModes.assumePosix(root);
        ZipBuilder b = new ZipBuilder();
        b.add("a.txt", "top");
        b.add("src/main/B.java", "class B {}");
        b.add("src/test/", new byte[0]);
        ExtractionResult r = extract(b.build(), mode);
        assertThat(r.filesWritten()).isEqualTo(2);
        assertThat(dev.aar.core.internal.FileModes.assertOwnerOnlyTree(out())).isEqualTo(5); // out, a.txt, src, main, B.java
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void fileAndDirectoryWithTheSameNameConflict(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        b.add("a", "file");
        b.add("a/b.txt", "under a");
        ExtractionResult r = extract(b.build(), mode);
        assertThat(r.filesWritten()).isEqualTo(1);
        assertThat(counts(r)).containsEntry(SkipReason.PATH_CONFLICT, 1L);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void namesAreUtf8WithTheFlagAndCp437Without(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        b.add("données/é.txt", "utf8").utf8Flag();
        b.add(new byte[] {'c', 'p', (byte) 0x81, '.', 't', 'x', 't'}, "cp437".getBytes(StandardCharsets.US_ASCII));
        extract(b.build(), mode);
        assertThat(out().resolve("données/é.txt")).hasContent("utf8");
        assertThat(out().resolve("cpü.txt")).hasContent("cp437");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void nestedArchivesAreNeverExpanded(Mode mode) throws IOException {
        ZipBuilder inner = new ZipBuilder();
        inner.add("inner.txt", "inside");
        ZipBuilder b = new ZipBuilder();
        b.add("lib/nested.zip", inner.build());
        ExtractionResult r = extract(b.build(), mode);
        try (Stream<Path> s = Files.walk(out())) {
            assertThat(s.map(p -> p.getFileName().toString())).doesNotContain("inner.txt");
        }
        assertThat(counts(r)).containsEntry(SkipReason.BINARY, 1L);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void forcedZip64EntriesAndDescriptorsAreRead(Mode mode) {
        ZipBuilder b = new ZipBuilder();
        b.add("z64.txt", text(10_000, 3)).zip64();
        b.add("desc.txt", text(10_000, 4)).descriptor();
        ExtractionResult r = extract(b.build(), mode);
        assertThat(r.filesWritten()).isEqualTo(2);
        assertThat(out().resolve("z64.txt")).hasContent(text(10_000, 3));
        assertThat(out().resolve("desc.txt")).hasContent(text(10_000, 4));
    }

    @Test
    void moreThan65535EntriesUseZip64AndBothPathsAgree() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.setLevel(1);
            // mostly under an excluded directory, so the test checks the ZIP64 end records without writing 66,000 files
            for (int i = 0; i < 66_000; i++) {
                put(z, (i % 1000 == 7 ? "d" : "target/d") + (i % 100) + "/f" + i + ".txt", "n" + i);
            }
        }
        ScaleLimits l = LIMITS.toBuilder().maxFilesPerProject(70_000).build();
        ExtractionResult file = Archives.extract(bytes.toByteArray(), root.resolve("file"), Mode.FILE, l,
                ExtractionOptions.defaults());
        ExtractionResult stream = Archives.extract(bytes.toByteArray(), root.resolve("stream"), Mode.STREAM, l,
                ExtractionOptions.defaults());
        assertThat(file.entries()).isEqualTo(66_000).isEqualTo(stream.entries());
        assertThat(file.filesWritten()).isEqualTo(66).isEqualTo(stream.filesWritten());
        assertThat(file.skipCounts()).containsEntry(SkipReason.EXCLUDED_DIRECTORY, 65_934L).isEqualTo(stream.skipCounts());
        assertThat(root.resolve("file/out/d7/f65007.txt")).hasContent("n65007");
    }

    @Test
    void bothPathsGiveTheSameResult() throws IOException {
        ZipBuilder b = new ZipBuilder();
        b.add("a/x.txt", text(30_000, 1));
        b.add("a/y.bin", new byte[] {1, 0, 2});
        b.add("node_modules/z.js", "z");
        b.add("link", "target").mode(0120777);
        b.add("a/x.txt", "dup");
        b.add("s.txt", "secret").encrypted();
        b.add("s.txt", "plain");
        for (int i = 0; i < 50; i++) {
            b.add("many/f" + i + ".txt", text(2_000, i));
        }
        byte[] zip = b.build();
        ExtractionResult f = Archives.extract(zip, root.resolve("f"), Mode.FILE, LIMITS, ExtractionOptions.defaults());
        ExtractionResult s = Archives.extract(zip, root.resolve("s"), Mode.STREAM, LIMITS, ExtractionOptions.defaults());
        assertThat(f.filesWritten()).isEqualTo(s.filesWritten()).isEqualTo(51);
        assertThat(f.skipCounts()).containsEntry(SkipReason.DUPLICATE, 2L);
        assertThat(f.bytesWritten()).isEqualTo(s.bytesWritten());
        assertThat(f.skipCounts()).isEqualTo(s.skipCounts());
        assertThat(f.entries()).isEqualTo(s.entries());
    }

    @Test
    void progressIsReportedAndEndsWithTheTotals() {
        ZipBuilder b = new ZipBuilder();
        for (int i = 0; i < 200; i++) {
            b.add("f" + i + ".txt", text(1_000, i));
        }
        List<ExtractionProgress> seen = new ArrayList<>();
        ExtractionListener listener = new ExtractionListener() {
            @Override
            public void onProgress(ExtractionProgress progress) {
                seen.add(progress);
            }
        };
        Path zip = write(b.build());
        new StreamingZipExtractor(LIMITS, ExtractionOptions.builder().progressInterval(Duration.ZERO).build())
                .extract(zip, out(), listener, Cancellation.NEVER);
        assertThat(seen).isNotEmpty();
        ExtractionProgress last = seen.get(seen.size() - 1);
        assertThat(last.filesWritten()).isEqualTo(200);
        assertThat(last.totalEntries()).isEqualTo(200);
        assertThat(last.bytesWritten()).isEqualTo(200_000);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void cancellationLeavesNothingBehind(Mode mode) throws IOException {
        ZipBuilder b = new ZipBuilder();
        for (int i = 0; i < 300; i++) {
            b.add("f" + i + ".txt", text(1_000, i));
        }
        byte[] bytes = b.build();
        Cancellation cancel = new Cancellation();
        ExtractionListener listener = new ExtractionListener() {
            @Override
            public void onProgress(ExtractionProgress progress) {
                if (progress.filesWritten() >= 50) {
                    cancel.cancel();
                }
            }
        };
        StreamingZipExtractor x = new StreamingZipExtractor(LIMITS,
                ExtractionOptions.builder().progressInterval(Duration.ZERO).build());
        assertThatThrownBy(() -> {
            if (mode == Mode.FILE) {
                x.extract(write(bytes), out(), listener, cancel);
            } else {
                try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
                    x.extract(in, out(), listener, cancel);
                }
            }
        }).isInstanceOf(ExtractionCancelledException.class);
        try (Stream<Path> s = Files.list(root)) {
            assertThat(s.filter(p -> !p.getFileName().toString().endsWith(".zip"))).isEmpty();
        }
    }

    @Test
    void refusesANonEmptyTarget() throws IOException {
        Files.createDirectories(out());
        Files.writeString(out().resolve("keep.txt"), "mine");
        Path zip = write(new ZipBuilder().build());
        assertThatThrownBy(() -> new StreamingZipExtractor(LIMITS).extract(zip, out()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not empty");
        assertThat(out().resolve("keep.txt")).hasContent("mine");
    }

    private Path write(byte[] zip) {
        try {
            Path p = root.resolve("archive-" + System.nanoTime() + ".zip");
            Files.write(p, zip);
            return p;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void put(ZipOutputStream z, String name, String content) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(content.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
    }
}
