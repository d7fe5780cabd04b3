package dev.aar.jdbc.resume;

import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.config.StoragePolicy;
import dev.aar.core.config.WorkerProcessing;
import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.jdbc.JdbcBackend;
import java.nio.file.Path;

/**
 * One worker node of {@link MultiNodeResumeTest}, run in its own JVM: an {@link Aar} on a shared
 * PostgreSQL schema and a shared blob directory, running analysis jobs until its standard input
 * closes (or it is killed).
 *
 * <p>Arguments: {@code jdbcUrl blobDirectory dataDirectory delayMillis}. The node appends the content
 * hash of every text it embeds to {@value #EMBEDDED_LOG} and the file of every chunk it stores to
 * {@value #STORED_LOG}, both in its data directory.
 */
public final class ResumeNode {

    /** Files between two indexing checkpoints. */
    static final int CHECKPOINT_INTERVAL_FILES = 10;
    /** Short, so that a killed node's job is claimable again within seconds. */
    static final int LEASE_SECONDS = 3;

    /** Per node: the SHA-256 (the chunk's content hash) of every text it embedded. */
    static final String EMBEDDED_LOG = "embedded.log";
    /** Per node: the file of every chunk it stored, reused vectors included. */
    static final String STORED_LOG = "stored.log";

    private ResumeNode() {
    }

    public static void main(String[] args) throws Exception {
        long stallAfterInputs = args.length > 4 ? Long.parseLong(args[4]) : -1;
        Aar aar = open(args[0], Path.of(args[1]), Path.of(args[2]), Long.parseLong(args[3]), stallAfterInputs);
        aar.startWorkers();
        System.out.println("node started, workers running");
        System.out.flush();
        // the test closes our stdin to stop us; a dead test closes it too, so no node outlives its test
        while (System.in.read() >= 0) {
            // ignore input
        }
        aar.close();
        System.out.println("node stopped");
        System.exit(0);
    }

    /** The configuration every node (and the test's own client) uses. */
    static AarConfig config() {
        return AarConfig.builder()
                .workerProcessing(WorkerProcessing.builder()
                        .maxConcurrentJobs(1)
                        .checkpointIntervalFiles(CHECKPOINT_INTERVAL_FILES)
                        .leaseSeconds(LEASE_SECONDS)
                        .retryDelaySeconds(1)
                        .shutdownGraceSeconds(2)
                        .build())
                // small batches, so the indexer's cursor (and its checkpoints) move in small steps
                .embeddingProcessing(EmbeddingProcessing.builder().batchSize(5).maxConcurrency(2).build())
                // the nodes share one blob directory, so they share one storage key (each node's own
                // generated storage.key could not read what another sealed)
                .storagePolicy(StoragePolicy.defaults().toBuilder().encryptionKey(SHARED_STORAGE_KEY).build())
                .build();
    }

    /** A fixed test key: base64 of 32 bytes. */
    private static final String SHARED_STORAGE_KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);

    /**
     * Opens an {@link Aar} on {@code jdbcUrl} with the shared blob directory, an offline embedder
     * that takes {@code delayMillis} per request, and the two logs in {@code data}; closing it
     * closes the backend.
     */
    static Aar open(String jdbcUrl, Path blobs, Path data, long delayMillis) {
        return open(jdbcUrl, blobs, data, delayMillis, -1);
    }

    /** Like {@link #open(String, Path, Path, long)}, with an embedder that hangs after {@code stallAfterInputs} inputs (-1: never). */
    static Aar open(String jdbcUrl, Path blobs, Path data, long delayMillis, long stallAfterInputs) {
        JdbcBackend db = JdbcBackend.create(jdbcUrl);
        try {
            FileSystemBlobStore blobStore = FileSystemBlobStore.open(blobs);
            return db.applyTo(Aar.builder())
                    .config(config())
                    .jobQueue(db.jobQueue())
                    .embeddingStore(new RecordingEmbeddingStore(db.embeddingStore(), data.resolve(STORED_LOG)))
                    .blobStore(blobStore)
                    .dataDirectory(data)
                    .embeddingProvider(new RecordingEmbeddingProvider(OfflineEmbeddingProvider.create(), delayMillis,
                            data.resolve(EMBEDDED_LOG), stallAfterInputs))
                    .closeWith(db)
                    .closeWith(blobStore)
                    .build();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}
