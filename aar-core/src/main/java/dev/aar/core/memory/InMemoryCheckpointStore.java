package dev.aar.core.memory;

import dev.aar.queue.Checkpoint;
import dev.aar.queue.CheckpointStore;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link CheckpointStore} in memory; each save replaces the job's checkpoint atomically. */
public final class InMemoryCheckpointStore implements CheckpointStore {

    private final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();

    @Override
    public void save(Checkpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        // keep the first save's createdAt, as the spec's table does
        checkpoints.merge(checkpoint.jobId(), checkpoint, (old, now) -> new Checkpoint(now.jobId(), now.projectId(),
                now.phase(), now.lastProcessedFile(), now.processedFileCount(), now.totalFileCount(), now.data(),
                old.createdAt(), now.updatedAt()));
    }

    @Override
    public Optional<Checkpoint> find(String jobId) {
        return Optional.ofNullable(checkpoints.get(jobId));
    }

    @Override
    public boolean delete(String jobId) {
        return checkpoints.remove(jobId) != null;
    }
}
