package dev.aar.queue;

import java.time.Instant;

/**
 * A claimed job, held by one worker until {@code expiresAt} unless extended.
 *
 * <p>The fencing token grows every time the job is claimed. Every call that acts on a claimed
 * job passes it back, and the queue refuses a token that is no longer current: a worker that lost
 * its lease (it stalled, its heartbeat failed, the job was re-claimed elsewhere) cannot complete,
 * fail or extend the job, so each job's result is applied once.
 *
 * @param job the job, as of the claim
 * @param workerId who holds it
 * @param fencingToken proves this lease is the current one
 * @param expiresAt when the lease lapses without a heartbeat
 */
public record Lease(Job job, String workerId, long fencingToken, Instant expiresAt) {

    /** Shorthand for {@code job().id()}. */
    public String jobId() {
        return job.id();
    }
}
