package dev.aar.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/** Assertions on the real POSIX modes of files, for the owner-only rules. */
public final class FileModes {

    private FileModes() {
    }

    /** Skips the calling test where the file system has no POSIX permissions. */
    public static void assumePosix(Path path) {
        assumeTrue(OwnerOnly.isPosix(path), "the file system of " + path + " has no POSIX permissions");
    }

    /** Returns the mode of {@code path} as {@code rwx------}. */
    public static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts every directory under {@code root} (itself included) is 0700 and every file 0600; returns how many were checked. */
    public static long assertOwnerOnlyTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            return all.peek(p -> assertThat(mode(p)).as(p.toString())
                    .isEqualTo(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
