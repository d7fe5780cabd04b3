package dev.aar.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The quick start's storage encryption key: base64 of 32 random bytes in {@code <data>/storage.key},
 * readable by the owner only, created on first start and read on every later one.
 */
final class StorageKeyFile {

    static final String FILE_NAME = "storage.key";

    private StorageKeyFile() {
    }

    /** The key and whether this call created it. */
    record Key(String base64, Path file, boolean created) {
    }

    /** Reads the key in {@code dataDirectory}, creating it first if there is none. */
    static Key readOrCreate(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return new Key(read(file), file, false);
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        Path tmp = Files.createTempFile(dataDirectory, FILE_NAME, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, Base64.getEncoder().encodeToString(bytes) + "\n", StandardCharsets.US_ASCII);
            // a hard link is created atomically and fails if the name exists: two nodes starting
            // together on one data directory end up with the same key
            Files.createLink(file, tmp);
            return new Key(read(file), file, true);
        } catch (FileAlreadyExistsException e) {
            return new Key(read(file), file, false);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
}
