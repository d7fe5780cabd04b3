package dev.aar.examples.server;

import dev.aar.core.extract.Cancellation;
import dev.aar.core.extract.ExtractionCancelledException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs the requests that cost far more than they cost to send (preflights, which inflate and
 * tokenize an archive; analysis submission, which may preflight) under a per-organization
 * resilience4j bulkhead: at most {@link ServerLimits#maxExpensivePerOrganization()} at once, a
 * further one is refused at once with 429 {@code work.too_many_concurrent} and {@code Retry-After},
 * so one organization cannot take every request thread. Each call also gets a time budget
 * ({@link ServerLimits#expensiveTimeBudget()}) through a {@link Cancellation}; past it the work
 * stops and the answer is 503 {@code work.over_time_budget}.
 */
final class ExpensiveWork implements AutoCloseable {

    private final BulkheadRegistry bulkheads;
    private final long retryAfterSeconds;
    private final Duration budget;
    private final ScheduledExecutorService timer;

    ExpensiveWork(ServerLimits limits) {
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(limits.maxExpensivePerOrganization())
                .maxWaitDuration(Duration.ZERO) // refuse at once: a waiting call would hold a request thread
                .build());
        this.retryAfterSeconds = limits.retryAfterSeconds();
        this.budget = limits.expensiveTimeBudget();
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "aar-expensive-budget");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true); // a finished call's timer goes at once, not after the budget
        this.timer = t;
    }

    /** Runs {@code work} for the caller's organization, within its bulkhead and the time budget. */
    <T> T run(Context ctx, Function<Cancellation, T> work) {
        Bulkhead bulkhead = bulkheads.bulkhead(ServerContext.owner(ctx));
        if (!bulkhead.tryAcquirePermission()) {
            ctx.header("Retry-After", Long.toString(retryAfterSeconds));
            throw new Problems.HttpProblem(HttpStatus.TOO_MANY_REQUESTS, "work.too_many_concurrent",
                    "this organization already runs " + bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
                            + " preflights or submissions; retry after " + retryAfterSeconds + " s");
        }
        Cancellation cancellation = new Cancellation();
        ScheduledFuture<?> deadline = timer.schedule(cancellation::cancel, budget.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return work.apply(cancellation);
        } catch (ExtractionCancelledException e) {
            if (cancellation.isCancelled()) {
                throw new Problems.HttpProblem(HttpStatus.SERVICE_UNAVAILABLE, "work.over_time_budget",
                        "the work took longer than the server's budget of " + budget.toSeconds()
                                + " s and was stopped; try mode=fast, or a smaller archive");
            }
            throw e;
        } finally {
            deadline.cancel(false);
            bulkhead.onComplete();
        }
    }

    /** Calls still running for {@code organization} (for tests). */
    int running(String organization) {
        Bulkhead b = bulkheads.bulkhead(organization);
        return b.getBulkheadConfig().getMaxConcurrentCalls() - b.getMetrics().getAvailableConcurrentCalls();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
