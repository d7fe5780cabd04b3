/**
 * Job queue SPI: a durable priority queue with leases, fencing tokens, retries and dead letters
 * ({@link dev.aar.queue.JobQueue}), and the store of resumable job checkpoints
 * ({@link dev.aar.queue.CheckpointStore}).
 *
 * <p>The policy (how many attempts, how long to back off, what to do at shutdown) lives in the
 * SDK's worker runtime; a backend only stores and hands out jobs by the rules written on
 * {@link dev.aar.queue.JobQueue}. This module depends on nothing but the JDK.
 */
@NullMarked
package dev.aar.queue;

import org.jspecify.annotations.NullMarked;
