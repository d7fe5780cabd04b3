package dev.aar.core.upload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes upload sessions past their expiry: their parts are deleted, their storage quota given
 * back and their records forgotten. Run {@link #sweep} from any scheduler, or {@link #schedule} it.
 */
public final class UploadSessionSweeper {

    /** How often {@link #schedule} sweeps unless told otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(UploadSessionSweeper.class);

    private final UploadSessionManager manager;
    private final Clock clock;

    public UploadSessionSweeper(UploadSessionManager manager, Clock clock) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Removes every open session that expired at or before {@code now}; a session still finalizing
     * is given {@link UploadSessionManager#DEFAULT_FINALIZING_GRACE} more.
     *
     * @return how many sessions were removed
     */
    public int sweep(Instant now) {
        int swept = manager.sweepExpired(now);
        if (swept > 0) {
            log.info("removed {} expired upload sessions", swept);
        }
        return swept;
    }

    /** Sweeps with the clock's time every {@code interval} on {@code executor}; cancel the returned future to stop. */
    public ScheduledFuture<?> schedule(ScheduledExecutorService executor, Duration interval) {
        return executor.scheduleWithFixedDelay(() -> {
            try {
                sweep(clock.instant());
            } catch (RuntimeException e) {
                log.warn("upload session sweep failed; retrying in {}", interval, e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
}
