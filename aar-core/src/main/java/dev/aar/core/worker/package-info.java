/**
 * The worker runtime: a {@link dev.aar.core.worker.WorkerPool} that claims jobs from a
 * {@link dev.aar.queue.JobQueue}, runs {@link dev.aar.core.worker.JobHandler}s with heartbeats,
 * retries failures with backoff and jitter, dead-letters the rest,
 * and resumes phased jobs from checkpoints ({@link dev.aar.core.worker.PhasedJobHandler}).
 */
@NullMarked
package dev.aar.core.worker;

import org.jspecify.annotations.NullMarked;
