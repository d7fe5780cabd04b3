package dev.aar.core.analysis;

import dev.aar.core.config.ScaleLimits;
import dev.aar.core.extract.IndexableFileRule;
import dev.aar.core.internal.Texts;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingStore;
import dev.aar.embedding.ScoredChunk;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A {@link ProjectView} over a directory of extracted files, optionally searchable through an
 * {@link EmbeddingStore} and the {@link EmbeddingProvider} that filled it.
 *
 * <p>A file is indexable by the SDK's shared rule: not under an excluded directory, no NUL byte in
 * its first 8 KiB, at most {@code maxFileSizeBytes}. Symbolic links are not followed. Texts are
 * read on demand and kept only softly, so a large project does not pin its sources in memory.
 */
public final class DirectoryProjectView implements ProjectView {

    private final String projectId;
    private final List<SourceFile> files;
    private final EmbeddingStore embeddings;
    private final EmbeddingProvider embedder;

    private DirectoryProjectView(Builder b, List<SourceFile> files) {
        this.projectId = b.projectId;
        this.files = List.copyOf(files);
        this.embeddings = b.embeddings;
        this.embedder = b.embedder;
    }

    /** Starts a view of the files under {@code root} for project {@code projectId}. */
    public static Builder builder(String projectId, Path root) {
        return new Builder(projectId, root);
    }

    @Override
    public String projectId() {
        return projectId;
    }

    @Override
    public List<SourceFile> files() {
        return files;
    }

    @Override
    public boolean isSearchable() {
        return embeddings != null && embeddings.count(projectId) > 0;
    }

    @Override
    public List<ScoredChunk> search(String query, int k) {
        if (embeddings == null || k <= 0) {
            return List.of();
        }
        float[] vector = embedder.embed(List.of(query)).vectors().get(0);
        return embeddings.search(projectId, vector, k);
    }

    /** Builds a {@link DirectoryProjectView}; scans the directory at {@link #build()}. */
    public static final class Builder {
        private final String projectId;
        private final Path root;
        private IndexableFileRule rule = IndexableFileRule.of(ScaleLimits.defaults());
        private EmbeddingStore embeddings;
        private EmbeddingProvider embedder;

        private Builder(String projectId, Path root) {
            this.projectId = Objects.requireNonNull(projectId, "projectId");
            this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        }

        /** Applies the indexable-file rule of {@code limits} (excluded directories, largest file). */
        public Builder limits(ScaleLimits limits) {
            this.rule = IndexableFileRule.of(limits);
            return this;
        }

        /** Makes the view searchable through the project's embeddings; {@code embedder} embeds queries. */
        public Builder embeddings(EmbeddingStore store, EmbeddingProvider embedder) {
            this.embeddings = Objects.requireNonNull(store, "store");
            this.embedder = Objects.requireNonNull(embedder, "embedder");
            return this;
        }

        /**
         * Scans the directory and returns the view.
         *
         * @throws UncheckedIOException when the directory cannot be walked
         */
        public DirectoryProjectView build() {
            List<SourceFile> found = new ArrayList<>();
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        // the rule judges a file's directories: ask it about a file inside this one
                        boolean excluded = !dir.equals(root)
                                && rule.isExcluded(root.relativize(dir).toString().replace('\\', '/') + "/f");
                        return excluded ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        if (attrs.isRegularFile() && !rule.isTooLarge(attrs.size()) && !looksBinary(file)) {
                            String relative = root.relativize(file).toString().replace('\\', '/');
                            found.add(new DiskFile(relative, file, attrs.size()));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot scan project directory " + root + ": " + e.getMessage(), e);
            }
            found.sort(Comparator.comparing(SourceFile::path));
            return new DirectoryProjectView(this, found);
        }
    }

    private static boolean looksBinary(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(IndexableFileRule.SNIFF_BYTES);
            return IndexableFileRule.isBinary(head, head.length);
        }
    }

    /** A file on disk whose text is loaded on demand and cached softly. */
    private static final class DiskFile implements SourceFile {
        private final String path;
        private final Path location;
        private final long size;
        private final Language language;
        private SoftReference<String> cached = new SoftReference<>(null);

        DiskFile(String path, Path location, long size) {
            this.path = path;
            this.location = location;
            this.size = size;
            this.language = Language.of(path);
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public Language language() {
            return language;
        }

        @Override
        public long sizeBytes() {
            return size;
        }

        @Override
        public synchronized String text() {
            String text = cached.get();
            if (text == null) {
                try {
                    text = Texts.decodeUtf8(Files.readAllBytes(location));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
                }
                cached = new SoftReference<>(text);
            }
            return text;
        }

        @Override
        public String toString() {
            return path;
        }
    }
}
