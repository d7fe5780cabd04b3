package dev.aar.core.pipeline;

import dev.aar.core.Aar;
import dev.aar.core.memory.InMemoryCheckpointStore;
import dev.aar.core.memory.InMemoryEmbeddingStore;
import dev.aar.core.memory.InMemoryJobQueue;
import dev.aar.core.memory.InMemoryProjectStore;
import dev.aar.core.memory.InMemoryQuotaStore;
import dev.aar.core.memory.InMemoryUploadSessionStore;
import dev.aar.core.report.InMemoryReportStore;
import dev.aar.queue.JobQueue;
import java.time.Clock;

/** The exactly-once kit on the embedded in-memory queue and stores, shared by two nodes of one process. */
class InMemoryExactlyOnceTest extends ExactlyOnceContract {

    private InMemoryJobQueue queue;
    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final InMemoryQuotaStore quotas = new InMemoryQuotaStore();
    private final InMemoryProjectStore projects = new InMemoryProjectStore();
    private final InMemoryReportStore reports = new InMemoryReportStore();
    private final InMemoryEmbeddingStore embeddings = new InMemoryEmbeddingStore();
    private final InMemoryUploadSessionStore uploads = new InMemoryUploadSessionStore();

    @Override
    protected void openBackend(Clock clock) {
        queue = new InMemoryJobQueue(clock);
    }

    @Override
    protected JobQueue queue() {
        return queue;
    }

    @Override
    protected Aar.Builder applyStores(Aar.Builder builder) {
        return builder.checkpointStore(checkpoints).quotaStore(quotas).projectStore(projects).reportStore(reports)
                .embeddingStore(embeddings).uploadSessionStore(uploads);
    }

    @Override
    protected void closeBackend() {
        queue.close();
    }
}
