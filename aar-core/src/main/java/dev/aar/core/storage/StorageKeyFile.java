package dev.aar.core.storage;

import dev.aar.core.config.StoragePolicy;
import dev.aar.core.internal.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * A storage encryption key kept in a file: base64 of 32 random bytes in {@code <data>/storage.key},
 * readable by the owner only, created on first use and read on every later one. The embedded
 * default of {@code Aar} and the quick-start server use it when {@code StoragePolicy.EncryptionEnabled}
 * is on and no key is configured, so encryption at rest needs no setup. The key sits next to the
 * data: it protects copies and backups of the blobs taken without it, not a stolen disk; set
 * {@code StoragePolicy.EncryptionKey} / {@code AAR_STORAGE_KEY} from a secret store for that.
 */
public final class StorageKeyFile {

    /** The file's name inside the data directory. */
    public static final String FILE_NAME = "storage.key";

    private StorageKeyFile() {
    }

    /** The key (base64), where it is, and whether this call created it. */
    public record Key(String base64, Path file, boolean created) {

        @Override
        public String toString() {
            return "Key[file=" + file + ", created=" + created + "]"; // never the key itself
        }
    }

    /** The policy to apply, and the key file its key came from (null when the key was configured or encryption is off). */
    public record Resolved(StoragePolicy policy, @Nullable Key keyFile) {
    }

    /**
     * Returns {@code policy} ready to apply: as it is when encryption is off or a key is configured,
     * else with the key kept in {@code dataDirectory} (created on first use).
     *
     * @throws UncheckedIOException when the key file cannot be read or created
     */
    public static Resolved resolve(StoragePolicy policy, Path dataDirectory) {
        if (!policy.encryptionEnabled() || policy.encryptionKey() != null) {
            return new Resolved(policy, null);
        }
        Key key;
        try {
            key = readOrCreate(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the storage key in " + dataDirectory
                    + " (StoragePolicy.EncryptionEnabled is on and no EncryptionKey is configured)", e);
        }
        return new Resolved(policy.toBuilder().encryptionKey(key.base64()).build(), key);
    }

    /** Reads the key in {@code dataDirectory}, creating it first if there is none. */
    public static Key readOrCreate(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return new Key(read(file), file, false);
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        OwnerOnly.createDirectories(dataDirectory);
        // owner-only from the start where the file system has POSIX permissions (elsewhere the
        // directory's access rules apply)
        Path tmp = dataDirectory.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile(dataDirectory, FILE_NAME, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dataDirectory, FILE_NAME, ".tmp");
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
