package dev.aar.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.memory.InMemoryEmbeddingStore;
import dev.aar.embedding.EmbeddedChunk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Chunking on several threads must give exactly what chunking on the calling thread gives. */
class ParallelChunkingTest {

    private static final List<SourceFile> FILES = skewed(RealSources.sample());
    private static final EmbeddingProcessing SMALL = EmbeddingProcessing.builder()
            .maxChunkSizeTokens(128).overlapTokens(16).batchSize(10).maxConcurrency(3).build();

    /** Puts the largest file first, so later (small) files finish chunking long before it. */
    private static List<SourceFile> skewed(List<SourceFile> files) {
        List<SourceFile> out = new ArrayList<>(files);
        SourceFile largest = out.stream().max((a, b) -> Integer.compare(a.text().length(), b.text().length())).orElseThrow();
        out.remove(largest);
        out.add(0, largest);
        return out;
    }

    /** What one run leaves behind: every stored row by id, the checkpoints and the final cursor. */
    private record Outcome(Map<String, String> rows, List<IndexCursor> checkpoints, List<String> violations,
            IndexingResult result) {
    }

    private static Outcome index(int chunkingThreads, List<SourceFile> files, IndexCursor from, InMemoryEmbeddingStore store) {
        Chunker chunker = Indexer.builder(new FakeProvider(100, 100_000, 0), store).embeddingProcessing(SMALL).build().chunker();
        List<Set<String>> idsOfFile = files.stream().map(f -> {
            Set<String> ids = new HashSet<>();
            chunker.chunk(f).forEach(c -> ids.add(c.chunkId()));
            return ids;
        }).toList();
        List<IndexCursor> checkpoints = new CopyOnWriteArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        IndexingListener listener = new IndexingListener() {
            @Override
            public void onCheckpoint(IndexCursor cursor) {
                checkpoints.add(cursor);
                if (!cursor.lastFile().equals(files.get(cursor.filesDone() - 1).path())) {
                    violations.add(cursor + " names the wrong file");
                }
                Set<String> stored = storedIds(store);
                for (int i = 0; i < cursor.filesDone(); i++) {
                    if (!stored.containsAll(idsOfFile.get(i))) {
                        violations.add(cursor + " covers " + files.get(i).path() + ", not completely stored");
                    }
                }
            }
        };
        Indexer indexer = Indexer.builder(new FakeProvider(7, 600, 1), store).embeddingProcessing(SMALL)
                .checkpointIntervalFiles(3).chunkingThreads(chunkingThreads).build();
        IndexingResult result = indexer.index("p", files, from, listener);
        Map<String, String> rows = new TreeMap<>();
        store.search("p", new float[64], Integer.MAX_VALUE / 2).forEach(s -> {
            EmbeddedChunk c = s.chunk();
            rows.put(c.chunkId(), c.contentHash() + " " + c.file() + ":" + c.startLine() + "-" + c.endLine() + " "
                    + c.text().length() + " " + java.util.Arrays.hashCode(c.vector()));
        });
        return new Outcome(rows, checkpoints, violations, result);
    }

    private static Set<String> storedIds(InMemoryEmbeddingStore store) {
        Set<String> ids = new HashSet<>();
        store.search("p", new float[64], Integer.MAX_VALUE / 2).forEach(s -> ids.add(s.chunk().chunkId()));
        return ids;
    }

    @Test
    void oneAndSeveralChunkingThreadsStoreTheSameChunksAndEndOnTheSameCursor() {
        Outcome one = index(1, FILES, IndexCursor.START, new InMemoryEmbeddingStore());
        Outcome four = index(4, FILES, IndexCursor.START, new InMemoryEmbeddingStore());

        assertThat(one.rows()).isNotEmpty();
        assertThat(four.rows()).isEqualTo(one.rows());
        assertThat(four.result().cursor()).isEqualTo(one.result().cursor())
                .isEqualTo(new IndexCursor(FILES.size(), FILES.get(FILES.size() - 1).path()));
        assertThat(four.result().totals().chunksStored()).isEqualTo(one.result().totals().chunksStored());
        assertThat(four.result().totals().filesCompleted()).isEqualTo(FILES.size());
        // where intermediate checkpoints fall depends on when requests complete, with any number of
        // chunking threads; what must hold is that each covers only completely stored files
        for (Outcome o : List.of(one, four)) {
            assertThat(o.violations()).isEmpty();
            assertThat(o.checkpoints()).hasSizeGreaterThan(FILES.size() / 10);
            assertThat(o.checkpoints()).extracting(IndexCursor::filesDone).doesNotHaveDuplicates().isSorted();
        }
    }

    @Test
    void aRunResumedWithSeveralChunkingThreadsSkipsTheCoveredFilesAndEndsLikeOneThread() {
        Outcome one = index(1, FILES, IndexCursor.START, new InMemoryEmbeddingStore());
        IndexCursor middle = new IndexCursor(FILES.size() / 2, FILES.get(FILES.size() / 2 - 1).path());
        InMemoryEmbeddingStore store = new InMemoryEmbeddingStore();
        index(4, FILES.subList(0, middle.filesDone()), IndexCursor.START, store);

        Outcome resumed = index(4, FILES, middle, store);

        assertThat(resumed.result().filesSkipped()).isEqualTo(middle.filesDone());
        assertThat(resumed.violations()).isEmpty();
        assertThat(resumed.rows()).isEqualTo(one.rows());
        assertThat(resumed.result().cursor()).isEqualTo(one.result().cursor());
    }

    @Test
    void filesComeBackInSourceOrderWithTheChunksOfASequentialChunker() {
        Chunker chunker = new Chunker(dev.aar.core.tokens.Tokenizers.encoding("cl100k_base"), 128, 16);
        List<Chunked> got = new ArrayList<>();
        try (OrderedChunking chunking = new OrderedChunking(chunker, FILES.iterator(), 5, 3, "test-chunker-", "p")) {
            chunking.forEachRemaining(c -> got.add(new Chunked(c.index(), c.file().path(), c.chunks())));
        }

        List<Chunked> expected = IntStream.range(0, FILES.size())
                .mapToObj(i -> new Chunked(i + 5, FILES.get(i).path(), chunker.chunk(FILES.get(i)))).toList();
        assertThat(got).isEqualTo(expected);
    }

    private record Chunked(int index, String path, List<Chunk> chunks) {
    }
}
