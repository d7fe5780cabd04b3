package dev.aar.core.index;

import java.util.Objects;

/**
 * One indexable file of a project, as the extractor hands it to the {@link Indexer}.
 *
 * @param path path within the project, '/'-separated (for example {@code src/main/App.java})
 * @param text the file's content, decoded
 */
public record SourceFile(String path, String text) {
    public SourceFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(text, "text");
    }
}
