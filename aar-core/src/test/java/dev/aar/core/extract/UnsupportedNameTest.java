package dev.aar.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.extract.Archives.Mode;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.PreflightService;
import dev.aar.core.preflight.TokenMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Entries the file system cannot hold are skipped with {@code skip.unsupported_name}; the rest is extracted. */
class UnsupportedNameTest {

    static final ScaleLimits LIMITS = ScaleLimits.defaults();
    static final ExtractionOptions OPTIONS = ExtractionOptions.builder().workers(2).build();
    static final String LONG_JS = "src/" + "a".repeat(300) + ".js";

    @TempDir
    Path root;

    private static byte[] longNames() {
        ZipBuilder b = new ZipBuilder();
        b.add("src/ok.js", "ok();");
        b.add(LONG_JS, "too long");
        b.add("src/" + "é".repeat(128) + ".js", "256 bytes in 128 characters").utf8Flag();
        b.add("b".repeat(256) + "/x.js", "its directory is too long");
        b.add("src/" + "c".repeat(255), "exactly 255 bytes is fine");
        return b.build();
    }

    private static ExtractionResult extract(StreamingZipExtractor x, byte[] zip, Path out, Mode mode) throws IOException {
        if (mode == Mode.STREAM) {
            return x.extract(new ByteArrayInputStream(zip), out, ExtractionListener.NONE, Cancellation.NEVER);
        }
        Path file = Files.createTempFile("aar-names-", ".zip");
        try {
            return x.extract(Files.write(file, zip), out);
        } finally {
            Files.delete(file);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void segmentsOverTheFileSystemLimitAreSkippedAndTheRestIsExtracted(Mode mode) throws IOException {
        ExtractionResult r = Archives.extract(longNames(), root, mode, LIMITS, OPTIONS);

        Path out = root.resolve("out");
        assertThat(r.filesWritten()).isEqualTo(2);
        assertThat(out.resolve("src/ok.js")).hasContent("ok();");
        assertThat(out.resolve("src/" + "c".repeat(255))).hasContent("exactly 255 bytes is fine");
        assertThat(r.skipCounts()).containsOnlyKeys(SkipReason.UNSUPPORTED_NAME)
                .containsEntry(SkipReason.UNSUPPORTED_NAME, 3L);
        assertThat(r.skipped()).extracting(SkippedEntry::path)
                .containsExactlyInAnyOrder(LONG_JS, "src/" + "é".repeat(128) + ".js", "b".repeat(256) + "/x.js");
        assertThat(r.skipped()).allSatisfy(s -> {
            assertThat(s.reason().code()).isEqualTo("skip.unsupported_name");
            assertThat(s.detail()).contains("bytes long", "255");
        });
        try (Stream<Path> s = Files.walk(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.length() > 255);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aPathTooLongForTheTargetDirectoryIsSkippedUpFront(Mode mode) throws IOException {
        Path out = root.resolve("out");
        // the staging directory beside the target: "/.out.aar-" + a UUID + ".partial"
        int stagingBytes = root.toString().getBytes(StandardCharsets.UTF_8).length + 54;
        StreamingZipExtractor x = new StreamingZipExtractor(LIMITS, OPTIONS, stagingBytes + 1 + 10);
        ZipBuilder b = new ZipBuilder();
        b.add("a.js", "short");
        b.add("src/abcdefghijkl.js", "too long for this target");

        ExtractionResult r = extract(x, b.build(), out, mode);

        assertThat(r.filesWritten()).isEqualTo(1);
        assertThat(out.resolve("a.js")).hasContent("short");
        assertThat(r.skipped()).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo("src/abcdefghijkl.js");
            assertThat(s.reason()).isEqualTo(SkipReason.UNSUPPORTED_NAME);
            assertThat(s.detail()).contains("at most " + (stagingBytes + 11)).doesNotContain(root.toString());
        });
    }

    /**
     * With the up-front path check out of the way, the kernel refuses the file (ENAMETOOLONG): the
     * failed creation is a skip too, not a failed run, and its detail names no server path.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aNameTheFileSystemRefusesOnCreationIsSkipped(Mode mode) throws IOException {
        Path deep = root;
        for (int i = 0; i < 14; i++) {
            deep = Files.createDirectory(deep.resolve(Character.toString('p' + i).repeat(250)));
        }
        Path out = deep.resolve("out");
        StreamingZipExtractor x = new StreamingZipExtractor(LIMITS, OPTIONS, Integer.MAX_VALUE);
        String refused = "d".repeat(250) + "/" + "e".repeat(250) + ".js";
        assertThat(out.toString().length() + 60 + 1 + refused.length()).as("longer than PATH_MAX").isGreaterThan(4096);
        ZipBuilder b = new ZipBuilder();
        b.add("ok.js", "fine");
        b.add(refused, "the kernel refuses this path");

        ExtractionResult r = extract(x, b.build(), out, mode);

        assertThat(r.filesWritten()).isEqualTo(1);
        assertThat(out.resolve("ok.js")).hasContent("fine");
        assertThat(r.skipped()).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo(refused);
            assertThat(s.reason()).isEqualTo(SkipReason.UNSUPPORTED_NAME);
            assertThat(s.detail()).startsWith("the file system refuses the name: ").doesNotContain(root.toString());
        });
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s).as("no probe file left behind").noneMatch(p -> p.getFileName().toString().startsWith(".aar-probe"));
        }
    }

    @Test
    void preflightCountsWhatExtractionWrites() throws IOException {
        byte[] zip = longNames();
        Path file = Files.write(root.resolve("names.zip"), zip);
        PreflightService preflight = new PreflightService(AarConfig.builder().scaleLimits(LIMITS).build());

        PreflightResult fromFile = preflight.analyze(file, TokenMode.EXACT);
        PreflightResult fromStream = preflight.analyze(new ByteArrayInputStream(zip), TokenMode.EXACT, Cancellation.NEVER);
        ExtractionResult extracted = Archives.extract(zip, root.resolve("x"), Mode.FILE, LIMITS, OPTIONS);

        assertThat(fromFile.fileCount()).isEqualTo(extracted.filesWritten()).isEqualTo(2);
        assertThat(fromFile.totalBytes()).isEqualTo(extracted.bytesWritten());
        assertThat(fromStream).isEqualTo(fromFile);
        assertThat(fromFile.isWithinLimits()).isTrue();
    }
}
