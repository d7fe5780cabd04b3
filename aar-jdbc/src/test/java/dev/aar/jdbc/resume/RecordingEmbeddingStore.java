package dev.aar.jdbc.resume;

import dev.aar.embedding.EmbeddedChunk;
import dev.aar.embedding.EmbeddingStore;
import dev.aar.embedding.ForwardingEmbeddingStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * An {@link EmbeddingStore} that appends the file of every chunk it stored to a log, one line each,
 * after the store accepted it: the files a node really (re)indexed, whether their vectors were
 * new or reused by content hash.
 */
final class RecordingEmbeddingStore extends ForwardingEmbeddingStore {

    private final Path log;

    RecordingEmbeddingStore(EmbeddingStore delegate, Path log) {
        super(delegate);
        this.log = log;
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        super.upsert(chunks);
        StringBuilder lines = new StringBuilder();
        chunks.forEach(c -> lines.append(c.file()).append('\n'));
        try {
            Files.writeString(log, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + log, e);
        }
    }
}
