package dev.aar.core.index;

import java.util.Objects;

/**
 * A piece of one file, small enough to embed, with where it came from.
 *
 * @param file path of the file within the project
 * @param ordinal position of the chunk within the file, from 0
 * @param startLine first line of the chunk (1-based)
 * @param endLine last line holding any of its characters (inclusive)
 * @param startOffset index of its first char in the file's text
 * @param endOffset index after its last char
 * @param text the chunk's text: exactly {@code fileText.substring(startOffset, endOffset)}
 * @param tokens its token count in the chunker's encoding
 * @param contentHash lowercase hex SHA-256 of the text's UTF-8 bytes
 */
public record Chunk(String file, int ordinal, int startLine, int endLine, int startOffset, int endOffset, String text,
        int tokens, String contentHash) {

    public Chunk {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(contentHash, "contentHash");
    }

    /**
     * Returns the chunk's id within its project: {@code file + "#" + ordinal}. Stable across runs, so
     * re-indexing a file replaces its chunks instead of adding copies.
     */
    public String chunkId() {
        return chunkId(file, ordinal);
    }

    /** Returns the id of chunk {@code ordinal} of {@code file}. */
    public static String chunkId(String file, int ordinal) {
        return file + "#" + ordinal;
    }
}
