package dev.aar.core.internal;

import static dev.aar.core.internal.FileModes.assumePosix;
import static dev.aar.core.internal.FileModes.mode;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {

    @TempDir
    Path dir;

    @Test
    void createsOwnerOnlyWhateverTheUmaskAndLeavesExistingParentsAlone() throws IOException {
        assumePosix(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        Path deep = OwnerOnly.createDirectories(dir.resolve("a/b/c"));
        try (OutputStream out = OwnerOnly.newOutputStream(deep.resolve("f.txt"),
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            out.write('x');
        }
        OwnerOnly.open(deep.resolve("g.bin"), Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)).close();

        assertThat(mode(dir)).as("an existing parent is not changed").isEqualTo("rwxr-xr-x");
        assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("a/b"))).isEqualTo("rwx------");
        assertThat(mode(deep)).isEqualTo("rwx------");
        assertThat(mode(deep.resolve("f.txt"))).isEqualTo("rw-------");
        assertThat(mode(deep.resolve("g.bin"))).isEqualTo("rw-------");
    }

    @Test
    void restrictTightensWhatAnOlderVersionLeftOpen() throws IOException {
        assumePosix(dir);
        Path sub = Files.createDirectory(dir.resolve("work"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path file = Files.writeString(dir.resolve("aar.db"), "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        OwnerOnly.restrict(sub);
        OwnerOnly.restrict(file);

        assertThat(mode(sub)).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
    }
}
