package dev.aar.spring;

import dev.aar.core.Aar;
import dev.aar.core.pipeline.Housekeeping;
import dev.aar.core.worker.WorkerPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the worker pool and housekeeping of the {@code Aar} bean once the context is refreshed and
 * stops them when it closes: workers stop claiming, running jobs get {@code ShutdownGraceSeconds},
 * and the leases of jobs still running after that are released.
 */
public class AarLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AarLifecycle.class);

    private final Aar aar;
    private final boolean workersEnabled;
    private final boolean housekeepingEnabled;
    private WorkerPool workers;
    private Housekeeping housekeeping;
    private volatile boolean running;

    public AarLifecycle(Aar aar, boolean workersEnabled, boolean housekeepingEnabled) {
        this.aar = aar;
        this.workersEnabled = workersEnabled;
        this.housekeepingEnabled = housekeepingEnabled;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        if (workersEnabled) {
            workers = aar.startWorkers();
            log.info("AAR workers started: {}", workers);
        }
        if (housekeepingEnabled) {
            housekeeping = aar.startHousekeeping();
        }
        running = true;
    }

    /**
     * Stops synchronously: Spring's per-phase shutdown timeout does not cut a running job short, the
     * worker pool's own grace ({@code WorkerProcessing.ShutdownGraceSeconds}) bounds the wait.
     */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            if (workers != null) {
                workers.close();
            }
        } finally {
            workers = null;
            if (housekeeping != null) {
                housekeeping.close();
                housekeeping = null;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Returns the running worker pool, or null when workers are disabled or stopped. */
    public synchronized @Nullable WorkerPool workers() {
        return workers;
    }

    /** Returns the running housekeeping, or null when it is disabled or stopped. */
    public synchronized @Nullable Housekeeping housekeeping() {
        return housekeeping;
    }
}
