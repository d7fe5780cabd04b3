package dev.aar.examples.cli;

import dev.aar.examples.server.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Remembers the upload session of a file between runs of {@code aar upload}, so an interrupted
 * upload resumes: one small file per (server, file path, size, modification time) under the cache
 * directory. A changed file has another identity and starts a new session.
 */
final class UploadState {

    private final Path file;

    private UploadState(Path file) {
        this.file = file;
    }

    /** The default directory: {@code $XDG_CACHE_HOME/aar/uploads}, else {@code ~/.cache/aar/uploads}. */
    static Path defaultDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("aar").resolve("uploads");
    }

    /** The state of uploading {@code upload} to {@code server}, kept in {@code directory}. */
    static UploadState of(Path directory, String server, Path upload) throws IOException {
        Path abs = upload.toAbsolutePath().normalize();
        String identity = server + "\n" + abs + "\n" + Files.size(abs) + "\n" + Files.getLastModifiedTime(abs).toMillis();
        return new UploadState(directory.resolve(Sha256.hex(identity) + ".session"));
    }

    /** Returns the session id saved by an earlier run, if any. */
    Optional<String> sessionId() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String id = Files.readString(file, StandardCharsets.UTF_8).trim();
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    void save(String sessionId) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sessionId + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    void clear() throws IOException {
        Files.deleteIfExists(file);
    }
}
