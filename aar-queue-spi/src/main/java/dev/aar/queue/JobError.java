package dev.aar.queue;

import java.time.Instant;

/**
 * One recorded failure of a job.
 *
 * @param attempt which attempt failed (1-based)
 * @param at when it failed
 * @param message what went wrong
 */
public record JobError(int attempt, Instant at, String message) {
}
