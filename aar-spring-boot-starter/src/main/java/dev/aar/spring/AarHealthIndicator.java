package dev.aar.spring;

import dev.aar.core.Aar;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.queue.QueueStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code aar} health: UP when the database, the blob store and the job queue answer, the same three
 * checks as the quick-start server's {@code /health/ready}. Each check has a deadline, so a hung
 * backend reports DOWN instead of holding the health endpoint; at most one probe per check runs at a time.
 */
public class AarHealthIndicator implements HealthIndicator, DisposableBean {

    /** How long one check may take before it counts as down. */
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(3);
    /** The blob key the storage check looks up; it never needs to exist. */
    static final String PROBE_KEY = "health/ready-probe";

    private final Map<String, Check> checks = new LinkedHashMap<>();
    private final Duration timeout;
    private final ExecutorService probes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "aar-health-probe");
        t.setDaemon(true);
        return t;
    });

    public AarHealthIndicator(Aar aar, AarDatabaseProbe database, Duration timeout) {
        this.timeout = timeout;
        checks.put("database", new Check(database != null ? database::probe : () -> "no database: stores are in memory"));
        checks.put("storage", new Check(() -> {
            // a read round-trip through the whole stack (policy, resilience, backend)
            Collaborators.of(aar).blobStore().stat(PROBE_KEY);
            return "blob store answered";
        }));
        checks.put("queue", new Check(() -> {
            QueueStats s = Collaborators.of(aar).jobQueue().stats();
            return s.queued() + " queued, " + s.inFlight() + " in flight, " + s.deadLettered() + " dead-lettered";
        }));
    }

    @Override
    public Health health() {
        boolean up = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (Map.Entry<String, Check> e : checks.entrySet()) {
            Map<String, Object> result = e.getValue().run(e.getKey());
            up &= "UP".equals(result.get("status"));
            details.put(e.getKey(), result);
        }
        return (up ? Health.up() : Health.down()).withDetails(details).build();
    }

    @Override
    public void destroy() {
        probes.shutdownNow();
    }

    /** One probe with a deadline; a probe still hanging from an earlier call is waited on, not started twice. */
    private final class Check {
        private final Supplier<String> probe;
        private Future<String> running;

        Check(Supplier<String> probe) {
            this.probe = probe;
        }

        Map<String, Object> run(String name) {
            Future<String> future;
            synchronized (this) {
                if (running == null || running.isDone()) {
                    running = probes.submit(probe::get);
                }
                future = running;
            }
            try {
                return result("UP", future.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (TimeoutException e) {
                return result("DOWN", name + " did not answer within " + timeout.toMillis() + " ms");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                // the exception's type and message, never its stack or a server path of ours
                return result("DOWN", cause.getClass().getSimpleName() + ": " + cause.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return result("DOWN", "interrupted");
            }
        }

        private Map<String, Object> result(String status, String detail) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("status", status);
            r.put("detail", detail);
            return r;
        }
    }
}
