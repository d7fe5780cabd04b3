package dev.aar.examples.server;

import dev.aar.core.redact.ClientError;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One readiness check with a deadline: a probe that hangs (a connection pool waiting for a database
 * that is gone) reports DOWN after the timeout instead of holding the request. At most one probe of
 * a check runs at a time; while a hung probe is still running, the check stays DOWN.
 */
final class HealthCheck {

    private static final Logger log = LoggerFactory.getLogger(HealthCheck.class);

    /** The result of one check, as the readiness response shows it. */
    record Result(String status, String detail, long durationMs) {
        boolean up() {
            return HealthRoutes.UP.equals(status);
        }
    }

    private final String name;
    private final Supplier<String> probe;
    private final Duration timeout;
    private final ExecutorService executor;
    private Future<String> running;

    HealthCheck(String name, Supplier<String> probe, Duration timeout, ExecutorService executor) {
        this.name = name;
        this.probe = probe;
        this.timeout = timeout;
        this.executor = executor;
    }

    String name() {
        return name;
    }

    Result run() {
        long started = System.nanoTime();
        Future<String> future;
        synchronized (this) {
            if (running == null || running.isDone()) {
                running = executor.submit(probe::get);
            }
            future = running;
        }
        try {
            String detail = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(HealthRoutes.UP, detail, elapsed(started));
        } catch (TimeoutException e) {
            return new Result(HealthRoutes.DOWN, name + " did not answer within " + timeout.toMillis() + " ms",
                    elapsed(started));
        } catch (ExecutionException e) {
            // readiness is public: the probe's message (a JDBC URL, a path, a driver's text) stays in the log
            ClientError shown = ClientError.of(e.getCause());
            log.warn("readiness check {} is down [correlation id {}]", name, shown.correlationId(), e.getCause());
            return new Result(HealthRoutes.DOWN, shown.code() + ": see the server log, correlation id "
                    + shown.correlationId(), elapsed(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(HealthRoutes.DOWN, "interrupted", elapsed(started));
        }
    }

    private static long elapsed(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
