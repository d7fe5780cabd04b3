package dev.aar.core.upload;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes upload sessions past their expiry (their parts are deleted, their storage quota given
 * back and their records forgotten), and forgets the records of closed sessions once they are older
 * than a retention. {@code dev.aar.core.pipeline.Housekeeping} runs it periodically; {@link #sweep}
 * runs it once, from any scheduler.
 */
public final class UploadSessionSweeper {

    /** How long past its expiry a completed, cancelled or expired session's record is kept. */
    public static final Duration DEFAULT_CLOSED_RETENTION = Duration.ofHours(24);

    private static final Logger log = LoggerFactory.getLogger(UploadSessionSweeper.class);

    private final UploadSessionManager manager;
    private final Duration closedRetention;

    /** A sweeper with the default retention of closed sessions ({@link #DEFAULT_CLOSED_RETENTION}). */
    public UploadSessionSweeper(UploadSessionManager manager) {
        this(builder(manager));
    }

    private UploadSessionSweeper(Builder b) {
        this.manager = b.manager;
        this.closedRetention = b.closedRetention;
    }

    /** Starts configuring a sweeper for {@code manager}'s sessions. */
    public static Builder builder(UploadSessionManager manager) {
        return new Builder(manager);
    }

    /** Returns how long a closed session's record is kept past its expiry. */
    public Duration closedRetention() {
        return closedRetention;
    }

    /**
     * Removes every open session that expired at or before {@code now} (a session still finalizing is
     * given {@link UploadSessionManager#DEFAULT_FINALIZING_GRACE} more), then forgets every closed
     * session whose expiry is at least {@link #closedRetention()} before {@code now}. A completed
     * session's assembled file is not touched: only its record goes, after which {@code status} and
     * {@code finalizeSession} answer NOT_FOUND for it.
     *
     * @return how many session records were removed
     */
    public int sweep(Instant now) {
        int swept = manager.sweepExpired(now);
        if (swept > 0) {
            log.info("removed {} expired upload sessions", swept);
        }
        int purged = manager.purgeClosed(now.minus(closedRetention));
        if (purged > 0) {
            log.info("forgot {} upload sessions closed for over {}", purged, closedRetention);
        }
        return swept + purged;
    }


    /** Configures an {@link UploadSessionSweeper}. */
    public static final class Builder {
        private final UploadSessionManager manager;
        private Duration closedRetention = DEFAULT_CLOSED_RETENTION;

        private Builder(UploadSessionManager manager) {
            this.manager = Objects.requireNonNull(manager, "manager");
        }

        /**
         * How long past its expiry the record of a completed, cancelled or expired session is kept
         * (default {@link #DEFAULT_CLOSED_RETENTION}); zero forgets it at the first sweep after its expiry.
         */
        public Builder closedRetention(Duration retention) {
            Objects.requireNonNull(retention, "closedRetention");
            if (retention.isNegative()) {
                throw new IllegalArgumentException("closedRetention must be zero or more, was " + retention);
            }
            this.closedRetention = retention;
            return this;
        }

        public UploadSessionSweeper build() {
            return new UploadSessionSweeper(this);
        }
    }
}
