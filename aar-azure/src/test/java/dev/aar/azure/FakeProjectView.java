package dev.aar.azure;

import dev.aar.core.analysis.Language;
import dev.aar.core.analysis.ProjectView;
import dev.aar.core.analysis.SourceFile;
import dev.aar.embedding.EmbeddedChunk;
import dev.aar.embedding.ScoredChunk;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A project held in memory whose search ranks chunks by how many query words they contain: enough
 * to see which excerpts the reviewer retrieves, without an embedding model.
 */
final class FakeProjectView implements ProjectView {

    private final List<SourceFile> files = new ArrayList<>();
    private final List<EmbeddedChunk> chunks = new ArrayList<>();
    private final boolean searchable;

    FakeProjectView(boolean searchable) {
        this.searchable = searchable;
    }

    /** Adds a file and one chunk per {@code linesPerChunk} lines of it. */
    FakeProjectView file(String path, String text, int linesPerChunk) {
        files.add(new SourceFile() {
            public String path() { return path; }
            public Language language() { return Language.of(path); }
            public long sizeBytes() { return text.getBytes(StandardCharsets.UTF_8).length; }
            public String text() { return text; }
        });
        String[] lines = text.split("\n", -1);
        for (int start = 0; start < lines.length; start += linesPerChunk) {
            int end = Math.min(lines.length, start + linesPerChunk);
            String chunk = String.join("\n", java.util.Arrays.copyOfRange(lines, start, end));
            chunks.add(new EmbeddedChunk("p1", path + "#" + start, "fake", Integer.toHexString(chunk.hashCode()), path,
                    start + 1, end, chunk, new float[] {1f}));
        }
        files.sort(Comparator.comparing(SourceFile::path));
        return this;
    }

    @Override
    public String projectId() {
        return "p1";
    }

    @Override
    public List<SourceFile> files() {
        return List.copyOf(files);
    }

    @Override
    public boolean isSearchable() {
        return searchable;
    }

    @Override
    public List<ScoredChunk> search(String query, int k) {
        if (!searchable) {
            return List.of();
        }
        String[] words = query.toLowerCase(Locale.ROOT).split(" ");
        List<ScoredChunk> scored = new ArrayList<>();
        for (EmbeddedChunk c : chunks) {
            String text = c.text().toLowerCase(Locale.ROOT);
            long hits = java.util.Arrays.stream(words).filter(text::contains).count();
            if (hits > 0) {
                scored.add(new ScoredChunk(c, hits / (double) words.length));
            }
        }
        scored.sort(Comparator.comparingDouble(ScoredChunk::score).reversed());
        return List.copyOf(scored.subList(0, Math.min(k, scored.size())));
    }
}
