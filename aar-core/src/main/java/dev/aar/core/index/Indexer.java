package dev.aar.core.index;

import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.config.WorkerProcessing;
import dev.aar.core.metrics.AarMetrics;
import dev.aar.core.tokens.Tokenizers;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingStore;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chunks a project's files, embeds the chunks and stores them, in batches, concurrently, resumably
 * and incrementally.
 *
 * <ul>
 *   <li>Batches hold at most {@code BatchSize} inputs (and the model's per-request limit) and at
 *       most the model's per-request tokens; at most {@code MaxConcurrency} requests are in flight
 *       <em>per indexer</em>, shared by all its {@link #index} calls: with one indexer per node (as
 *       {@code Aar} wires it) that is the spec's per-node limit, however many jobs index at once.</li>
 *   <li>A chunk whose content hash already has a vector for the same model in the store is stored
 *       with that vector and not sent; equal chunks within one batch are sent once.</li>
 *   <li>Chunk ids are {@code path#ordinal}: re-indexing a file replaces its chunks, never duplicates them.</li>
 *   <li>Every {@code CheckpointIntervalFiles} completed files, {@link IndexingListener#onCheckpoint}
 *       receives a cursor; {@link #index} can start from it.</li>
 * </ul>
 *
 * <p>Wrap the provider in a {@link dev.aar.core.embedding.ResilientEmbeddingProvider} for retries,
 * breaker and limits; the indexer itself fails on the first request that finally fails, after
 * waiting for the requests in flight, and everything stored before stays stored. Thread-safe; each
 * {@link #index} call uses its own threads: one that reads the files (so a source that blocks, files
 * still being extracted, never holds back files it already yielded), a few that chunk them ahead (see
 * {@link Builder#chunkingThreads}), {@code MaxConcurrency} + 2 that send requests, taking batches the
 * calling thread cut ahead, and one that stores what they bring back, so that neither cutting
 * batches nor writing to the store holds a request slot. A sender holds its slot only while its
 * request is in flight ({@link dev.aar.embedding.EmbeddingProvider#embed(java.util.List,
 * dev.aar.embedding.RequestSlot)}): with a provider that builds its request before taking the slot
 * and decodes the answer after giving it back, the two extra senders keep MaxConcurrency requests
 * at the service while they do that work.
 */
public final class Indexer {

    /** Most chunking threads the default uses (fewer on a machine with fewer processors). */
    public static final int DEFAULT_MAX_CHUNKING_THREADS = 4;

    private final EmbeddingProvider provider;
    private final EmbeddingStore store;
    private final EmbeddingProcessing settings;
    private final int checkpointIntervalFiles;
    private final Chunker chunker;
    private final int maxInputsPerRequest;
    private final int chunkingThreads;
    /**
     * Embedding requests in flight across every run of this indexer ({@code MaxConcurrency} per node): a
     * resilience4j semaphore bulkhead, fair so no job's batches starve, waiting as long as it takes (a
     * run's own stop is an interrupt).
     */
    final Bulkhead requests;
    /** Requests waiting for a place in {@link #requests} (the bulkhead counts only those it let in). */
    final AtomicInteger waitingForRequests = new AtomicInteger();
    final Counter tokensConsumed;
    final Counter embeddingsCreated;

    private Indexer(Builder b) {
        this.provider = b.provider;
        this.store = b.store;
        this.settings = b.settings;
        this.checkpointIntervalFiles = b.checkpointIntervalFiles;
        EmbeddingModel model = provider.model();
        int maxTokens = Math.min(settings.maxChunkSizeTokens(), Math.min(model.maxTokensPerInput(), model.maxTokensPerRequest()));
        this.chunker = new Chunker(Tokenizers.encoding(settings.tokenEncoding()), maxTokens,
                Math.min(settings.overlapTokens(), maxTokens / 2));
        this.maxInputsPerRequest = Math.min(settings.batchSize(), model.maxInputsPerRequest());
        this.chunkingThreads = b.chunkingThreads;
        this.requests = Bulkhead.of("aar-embedding-requests", BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrency())
                .maxWaitDuration(Duration.ofDays(365))
                .fairCallHandlingStrategyEnabled(true)
                .build());
        MeterRegistry meters = b.meters == null ? new SimpleMeterRegistry() : b.meters;
        this.tokensConsumed = AarMetrics.tokensConsumed(meters);
        this.embeddingsCreated = AarMetrics.embeddingsCreated(meters);
    }

    /** Starts an indexer that embeds with {@code provider} and stores into {@code store}. */
    public static Builder builder(EmbeddingProvider provider, EmbeddingStore store) {
        return new Builder(provider, store);
    }

    /**
     * Indexes {@code files} into project {@code projectId}, starting after {@code from}.
     *
     * <p>{@code files} must yield the same files in the same order on every call for the project, as
     * an extractor reading the same archive does. The first {@code from.filesDone()} files are skipped;
     * if the file at that position is not {@code from.lastFile()} (the project changed), the cursor is
     * ignored and {@code files} is iterated again from the start (nothing is duplicated: ids are stable,
     * and unchanged chunks are not embedded again).
     *
     * @return what was done, with the final cursor
     * @throws dev.aar.core.error.StorageException when an embedding request or a store write finally fails
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted
     */
    public IndexingResult index(String projectId, Iterable<SourceFile> files, IndexCursor from, IndexingListener listener) {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(listener, "listener");
        return new IndexingRun(this, projectId, listener).run(files, from);
    }

    /** Indexes {@code files} from the start, with no listener. */
    public IndexingResult index(String projectId, Iterable<SourceFile> files) {
        return index(projectId, files, IndexCursor.START, IndexingListener.NONE);
    }

    /** Returns the chunker this indexer uses (its limits already fitted to the model). */
    public Chunker chunker() {
        return chunker;
    }

    EmbeddingProvider provider() {
        return provider;
    }

    EmbeddingStore store() {
        return store;
    }

    int maxInputsPerRequest() {
        return maxInputsPerRequest;
    }

    int maxConcurrency() {
        return settings.maxConcurrency();
    }

    int checkpointIntervalFiles() {
        return checkpointIntervalFiles;
    }

    int chunkingThreads() {
        return chunkingThreads;
    }

    /** Builds an {@link Indexer}. */
    public static final class Builder {
        private final EmbeddingProvider provider;
        private final EmbeddingStore store;
        private EmbeddingProcessing settings = EmbeddingProcessing.defaults();
        private int checkpointIntervalFiles = WorkerProcessing.DEFAULT_CHECKPOINT_INTERVAL_FILES;
        private MeterRegistry meters;
        private int chunkingThreads = Math.min(DEFAULT_MAX_CHUNKING_THREADS, Runtime.getRuntime().availableProcessors());

        private Builder(EmbeddingProvider provider, EmbeddingStore store) {
            this.provider = Objects.requireNonNull(provider, "provider");
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Chunk size, overlap, encoding, batch size and concurrency (default: the spec's). */
        public Builder embeddingProcessing(EmbeddingProcessing settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Files between two checkpoint callbacks (default {@value WorkerProcessing#DEFAULT_CHECKPOINT_INTERVAL_FILES}). */
        public Builder checkpointIntervalFiles(int files) {
            if (files < 1) {
                throw new IllegalArgumentException("checkpointIntervalFiles = " + files + " is out of range; allowed: >= 1");
            }
            this.checkpointIntervalFiles = files;
            return this;
        }

        /**
         * Threads that chunk files ahead of the batching thread (default: the processors, at most
         * {@value Indexer#DEFAULT_MAX_CHUNKING_THREADS}); 1 chunks on the calling thread. Results, ids and
         * cursors do not depend on it; at most 4 files per thread wait chunked, so memory stays flat.
         */
        public Builder chunkingThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("chunkingThreads = " + threads + " is out of range; allowed: >= 1");
            }
            this.chunkingThreads = threads;
            return this;
        }

        /** Counts {@code aar.tokens.consumed} and {@code aar.embeddings.created} here (default: nowhere). */
        public Builder meterRegistry(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        public Indexer build() {
            return new Indexer(this);
        }
    }
}
