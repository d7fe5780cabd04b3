package dev.aar.queue;

import java.util.Optional;

/** Stores the latest {@link Checkpoint} of each job; every save is atomic (all fields or none). */
public interface CheckpointStore {

    /** Saves {@code checkpoint} as its job's latest, replacing the previous one atomically. */
    void save(Checkpoint checkpoint);

    /** Returns the job's latest checkpoint, or empty. */
    Optional<Checkpoint> find(String jobId);

    /** Deletes the job's checkpoint; returns false if there was none. */
    boolean delete(String jobId);
}
