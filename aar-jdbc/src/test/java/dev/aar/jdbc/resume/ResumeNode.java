package dev.aar.jdbc.resume;

import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.EmbeddingProcessing;
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
 * <p>Arguments: {@code jdbcUrl blobDirectory dataDirectory embeddingLog delayMillis}.
 */
public final class ResumeNode {

    /** Files between two indexing checkpoints. */
    static final int CHECKPOINT_INTERVAL_FILES = 10;
    /** Short, so that a killed node's job is claimable again within seconds. */
    static final int LEASE_SECONDS = 3;

    private ResumeNode() {
    }

    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[3]);
        Aar aar = open(args[0], Path.of(args[1]), Path.of(args[2]),
                new RecordingEmbeddingProvider(OfflineEmbeddingProvider.create(), Long.parseLong(args[4]), log));
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
                .build();
    }

    /** Opens an {@link Aar} on {@code jdbcUrl} with the shared blob directory; closing it closes the backend. */
    static Aar open(String jdbcUrl, Path blobs, Path data, RecordingEmbeddingProvider provider) {
        JdbcBackend db = JdbcBackend.create(jdbcUrl);
        try {
            FileSystemBlobStore blobStore = FileSystemBlobStore.open(blobs);
            return db.applyTo(Aar.builder())
                    .config(config())
                    .jobQueue(db.jobQueue())
                    .blobStore(blobStore)
                    .dataDirectory(data)
                    .embeddingProvider(provider)
                    .closeWith(db)
                    .closeWith(blobStore)
                    .build();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}
