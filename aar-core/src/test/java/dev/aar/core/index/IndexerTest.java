package dev.aar.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.error.StorageException;
import dev.aar.core.memory.InMemoryEmbeddingStore;
import dev.aar.embedding.EmbeddedChunk;
import dev.aar.embedding.EmbeddingProviderException;
import dev.aar.embedding.ForwardingEmbeddingStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class IndexerTest {

    private static final List<SourceFile> FILES = RealSources.repository();
    private static final EmbeddingProcessing SMALL = EmbeddingProcessing.builder()
            .maxChunkSizeTokens(128).overlapTokens(16).batchSize(10).maxConcurrency(3).build();

    private final InMemoryEmbeddingStore store = new InMemoryEmbeddingStore();

    private static Set<String> expectedChunkIds(Chunker chunker, List<SourceFile> files) {
        Set<String> ids = new HashSet<>();
        files.forEach(f -> chunker.chunk(f).forEach(c -> ids.add(c.chunkId())));
        return ids;
    }

    private Set<String> storedChunkIds(String project) {
        Set<String> ids = new HashSet<>();
        store.search(project, new float[64], Integer.MAX_VALUE / 2).forEach(s -> ids.add(s.chunk().chunkId()));
        return ids;
    }

    @Test
    void batchesRespectInputAndTokenLimitsAndEveryChunkIsStored() {
        FakeProvider provider = new FakeProvider(7, 600, 0);
        Indexer indexer = Indexer.builder(provider, store).embeddingProcessing(SMALL).build();

        IndexingResult result = indexer.index("p", FILES);

        assertThat(provider.succeeded).isNotEmpty().allSatisfy(call -> {
            assertThat(call.inputs()).isBetween(1, 7);
            assertThat(call.tokens()).isLessThanOrEqualTo(600);
        });
        Set<String> expected = expectedChunkIds(indexer.chunker(), FILES);
        assertThat(storedChunkIds("p")).isEqualTo(expected);
        assertThat(store.count("p")).isEqualTo(expected.size());
        assertThat(result.totals().filesCompleted()).isEqualTo(FILES.size());
        assertThat(result.totals().chunksStored()).isEqualTo(expected.size());
        assertThat(result.totals().chunksEmbedded() + result.totals().chunksReused()).isEqualTo(expected.size());
        assertThat(result.cursor()).isEqualTo(new IndexCursor(FILES.size(), FILES.get(FILES.size() - 1).path()));
    }

    /** A store that records every hash it is asked to look up. */
    private static final class LookupRecorder extends ForwardingEmbeddingStore {
        final Set<String> lookedUp = java.util.concurrent.ConcurrentHashMap.newKeySet();

        LookupRecorder(InMemoryEmbeddingStore delegate) {
            super(delegate);
        }

        @Override
        public java.util.Map<String, float[]> findVectors(String model, java.util.Collection<String> hashes) {
            lookedUp.addAll(hashes);
            return super.findVectors(model, hashes);
        }
    }

    @Test
    void aFirstIndexInAStoreWithoutTheModelLooksUpOnlyTextItMetBefore() {
        List<SourceFile> files = new ArrayList<>(FILES);
        files.add(new SourceFile("copy/" + FILES.get(0).path(), FILES.get(0).text())); // same text, same hashes
        LookupRecorder recorder = new LookupRecorder(store);
        FakeProvider provider = new FakeProvider(100, 100_000, 0);
        Indexer indexer = Indexer.builder(provider, recorder).embeddingProcessing(SMALL).build();
        java.util.Map<String, Integer> occurrences = new java.util.HashMap<>();
        files.forEach(f -> indexer.chunker().chunk(f).forEach(c -> occurrences.merge(c.contentHash(), 1, Integer::sum)));
        Set<String> repeated = new HashSet<>();
        occurrences.forEach((hash, n) -> {
            if (n > 1) {
                repeated.add(hash);
            }
        });

        IndexingResult result = indexer.index("p", files);

        assertThat(recorder.lookedUp).as("only hashes met earlier in the run").isEqualTo(repeated);
        assertThat(repeated).as("the copy's hashes").isNotEmpty();
        assertThat(storedChunkIds("p")).isEqualTo(expectedChunkIds(indexer.chunker(), files));
        assertThat(result.totals().chunksStored()).isEqualTo(expectedChunkIds(indexer.chunker(), files).size());
    }

    @Test
    void aStoreHoldingTheModelsVectorsIsAskedForEveryHash() {
        FakeProvider provider = new FakeProvider(100, 100_000, 0);
        store.upsert(List.of(new EmbeddedChunk("older", "x#0", provider.model().name(), "0".repeat(64), "x", 1, 1, "x",
                new float[64])));
        LookupRecorder recorder = new LookupRecorder(store);
        Indexer indexer = Indexer.builder(provider, recorder).embeddingProcessing(SMALL).build();
        Set<String> every = new HashSet<>();
        FILES.forEach(f -> indexer.chunker().chunk(f).forEach(c -> every.add(c.contentHash())));

        indexer.index("p", FILES);

        assertThat(recorder.lookedUp).isEqualTo(every);
    }

    @Test
    void neverMoreThanMaxConcurrencyRequestsInFlight() {
        // the first 3 requests wait for each other (a 4th could never join them); the rest take 5 ms each
        FakeProvider provider = new FakeProvider(100, 100_000, 5).rendezvous(3);
        Indexer.builder(provider, store).embeddingProcessing(SMALL).build().index("p", FILES);

        assertThat(provider.maxInFlight.get()).isLessThanOrEqualTo(3);
        assertThat(provider.maxInFlight.get()).as("3 requests were in flight together").isEqualTo(3);
    }

    @Test
    void anUnchangedProjectIsReindexedWithoutTokensAndWithoutDuplicates() {
        FakeProvider provider = new FakeProvider(100, 100_000, 0);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Indexer indexer = Indexer.builder(provider, store).embeddingProcessing(SMALL).meterRegistry(meters).build();
        IndexingResult first = indexer.index("p", FILES);
        long tokensAfterFirst = provider.tokens.get();
        int requestsAfterFirst = provider.attempts.get();
        assertThat(tokensAfterFirst).isPositive();
        assertThat(meters.counter("aar.tokens.consumed").count()).isEqualTo(tokensAfterFirst);
        assertThat(meters.counter("aar.embeddings.created").count()).isEqualTo(first.totals().chunksEmbedded());

        IndexingResult again = indexer.index("p", FILES);
        IndexingResult otherProject = indexer.index("q", FILES);

        assertThat(provider.attempts.get()).isEqualTo(requestsAfterFirst);
        assertThat(provider.tokens.get()).isEqualTo(tokensAfterFirst);
        assertThat(again.totals().tokensUsed()).isZero();
        assertThat(again.totals().chunksReused()).isEqualTo(first.totals().chunksStored());
        assertThat(otherProject.totals().tokensUsed()).isZero();
        assertThat(store.count("p")).isEqualTo(first.totals().chunksStored());
        assertThat(store.count("q")).isEqualTo(first.totals().chunksStored());
    }

    @Test
    void aRunKilledMidwayResumesFromItsLastCheckpointWithoutDuplicates() {
        List<IndexCursor> checkpoints = new CopyOnWriteArrayList<>();
        // the "kill" comes with the first request after a checkpoint was saved, whatever the thread timing:
        // a fixed request number could come before the first checkpoint on a slow or busy machine
        FakeProvider crashing = new FakeProvider(100, 100_000, 0)
                .faults(n -> checkpoints.isEmpty() ? null : new EmbeddingProviderException("worker killed", 401, null, null));
        IndexingListener saver = new IndexingListener() {
            @Override
            public void onCheckpoint(IndexCursor cursor) {
                checkpoints.add(cursor);
            }
        };
        Indexer first = Indexer.builder(crashing, store).embeddingProcessing(SMALL).checkpointIntervalFiles(5).build();
        assertThatThrownBy(() -> first.index("p", FILES, IndexCursor.START, saver))
                .isInstanceOf(StorageException.class).hasMessageContaining("status 401");
        assertThat(checkpoints).isNotEmpty();
        IndexCursor saved = checkpoints.get(checkpoints.size() - 1);
        assertThat(saved.filesDone()).isPositive().isLessThan(FILES.size());
        assertThat(checkpoints).extracting(IndexCursor::filesDone).isSorted();

        // every file before the cursor is completely stored
        Set<String> stored = storedChunkIds("p");
        Set<String> beforeCursor = expectedChunkIds(first.chunker(), FILES.subList(0, saved.filesDone()));
        assertThat(stored).containsAll(beforeCursor);

        FakeProvider healthy = new FakeProvider(100, 100_000, 0);
        List<String> filesTouched = new ArrayList<>();
        InMemoryEmbeddingStore recording = store;
        Indexer resumed = Indexer.builder(healthy, new RecordingStore(recording, filesTouched)).embeddingProcessing(SMALL)
                .checkpointIntervalFiles(5).build();
        IndexingResult result = resumed.index("p", FILES, saved, IndexingListener.NONE);

        assertThat(result.filesSkipped()).isEqualTo(saved.filesDone());
        Set<String> before = new HashSet<>();
        FILES.subList(0, saved.filesDone()).forEach(f -> before.add(f.path()));
        assertThat(filesTouched).doesNotContainAnyElementsOf(before);
        Set<String> expected = expectedChunkIds(first.chunker(), FILES);
        assertThat(storedChunkIds("p")).isEqualTo(expected);
        assertThat(store.count("p")).isEqualTo(expected.size());
    }

    @Test
    void aCursorThatDoesNotMatchTheFilesMeansIndexingEverythingAgain() {
        FakeProvider provider = new FakeProvider(100, 100_000, 0);
        Indexer indexer = Indexer.builder(provider, store).embeddingProcessing(SMALL).build();

        IndexingResult result = indexer.index("p", FILES, new IndexCursor(3, "not/the/third/file.java"), IndexingListener.NONE);

        assertThat(result.filesSkipped()).isZero();
        assertThat(store.count("p")).isEqualTo(expectedChunkIds(indexer.chunker(), FILES).size());
    }

    @Test
    void aNonTransientFailureStopsTheRunWithTheProviderStatus() {
        FakeProvider provider = new FakeProvider(100, 100_000, 0)
                .faults(n -> new EmbeddingProviderException("invalid api key", 401, null, null));
        Indexer indexer = Indexer.builder(provider, store).embeddingProcessing(SMALL).build();

        assertThatThrownBy(() -> indexer.index("p", FILES))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("invalid api key")
                .satisfies(e -> assertThat(((StorageException) e).code()).isEqualTo("backend.embedding_failed"));
        // each sender sends at most once: none takes a batch, or a slot, once the run has failed; a sender
        // waiting for a slot may get the failed request's in the moment before the failure is recorded
        assertThat(provider.attempts.get()).isLessThanOrEqualTo(3 + IndexingRun.SENDERS_AHEAD);
    }

    /** An embedding store that notes which files each upsert touched. */
    private static final class RecordingStore extends ForwardingEmbeddingStore {
        private final List<String> files;

        RecordingStore(InMemoryEmbeddingStore delegate, List<String> files) {
            super(delegate);
            this.files = files;
        }

        @Override
        public void upsert(List<EmbeddedChunk> chunks) {
            synchronized (files) {
                chunks.forEach(c -> files.add(c.file()));
            }
            super.upsert(chunks);
        }
    }
}
