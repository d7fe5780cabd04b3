package dev.aar.core.extract;

import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.config.ScaleLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Runs archives through both extraction paths and checks nothing escaped the target. */
public final class Archives {

    /** Which path reads the archive. */
    public enum Mode { FILE, STREAM }

    private Archives() {
    }

    /** Extracts {@code zip} into {@code root/out} through {@code mode}; asserts nothing was written outside it. */
    public static ExtractionResult extract(byte[] zip, Path root, Mode mode, ScaleLimits limits, ExtractionOptions options) {
        Path out = root.resolve("out");
        try {
            Path file = Files.createTempFile("aar-test-", ".zip");
            try {
                Files.write(file, zip);
                StreamingZipExtractor x = new StreamingZipExtractor(limits, options);
                return mode == Mode.FILE ? x.extract(file, out)
                        : x.extract(new ByteArrayInputStream(zip), out, ExtractionListener.NONE, Cancellation.NEVER);
            } finally {
                Files.deleteIfExists(file);
                assertContained(root, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Extracts and returns the refusal; fails if the archive was accepted. */
    public static ArchiveRejectedException reject(byte[] zip, Path root, Mode mode, ScaleLimits limits) {
        try {
            extract(zip, root, mode, limits, ExtractionOptions.builder().workers(2).build());
        } catch (ArchiveRejectedException e) {
            if (Files.exists(root.resolve("out"))) {
                throw new AssertionError("a refused archive left " + root.resolve("out") + " behind");
            }
            return e;
        }
        throw new AssertionError("archive was accepted");
    }

    /** Fails if anything under {@code root} lies outside {@code out}. */
    public static void assertContained(Path root, Path out) {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> outside = s.filter(p -> !p.equals(root) && !p.startsWith(out)).toList();
            if (!outside.isEmpty()) {
                throw new AssertionError("written outside the target: " + outside);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
