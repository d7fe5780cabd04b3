package dev.aar.core.resilience;

import dev.aar.core.error.ResilienceException.Reason;
import dev.aar.core.error.ResilienceException;
import dev.aar.core.internal.Threads;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs calls to one external service through resilience4j: request and token limiters, a circuit
 * breaker, retries with exponential backoff (and jitter), a per-attempt and a total timeout.
 *
 * <p>Two things differ from a plain resilience4j decoration, on purpose:
 * <ul>
 *   <li>A caller of {@link #execute} that finds the breaker open <em>waits</em> for it to half-open
 *       and then carries on; failures while the breaker is open or half-open do not use up the
 *       caller's retries. The wait counts against the total timeout (and is capped by
 *       {@link PipelineConfig#maxBreakerWait()}), so a job's call ends within the pipeline's total
 *       timeout whatever the breaker does, and a short outage delays a job instead of failing it.
 *       A caller that would rather fail at once (a request a user waits for) calls
 *       {@link #executeFailFast}: an open breaker refuses it with {@code BREAKER_OPEN}, as Polly's
 *       does. Set {@link PipelineConfig#waitForBreaker()} to false to make every call fail fast.</li>
 *   <li>The wait before a retry is at least the server's {@code Retry-After}
 *       ({@link FailureClassifier#retryAfter}), even when that is longer than the backoff. A
 *       throttled call (429, {@link FailureClassifier#isThrottling}) is retried after exactly the
 *       {@code Retry-After} it carries (or the backoff if it carries none) without using up a retry,
 *       bounded by the total timeout: the service is up and said when.</li>
 * </ul>
 *
 * <p>Only failures the {@link FailureClassifier} calls transient are retried. The total timeout
 * covers attempts, backoffs and breaker waits; an attempt already running when it passes is
 * not interrupted (set an attempt timeout for that). One pipeline is shared by all callers of a
 * service, so its breaker and limiters see all their traffic. Thread-safe.
 */
public final class ResiliencePipeline implements AutoCloseable {

    private final String name;
    private final PipelineConfig config;
    private final FailureClassifier classifier;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final RateLimiter requestLimiter;
    private final RateLimiter tokenLimiter;
    private final ExecutorService attemptExecutor;
    private final TimeLimiter attemptLimiter;
    private final IntervalFunction throttleBackoff;

    private ResiliencePipeline(String name, PipelineConfig config, FailureClassifier classifier, MeterRegistry meters) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.classifier = Objects.requireNonNull(classifier, "classifier");

        RetryRegistry retries = RetryRegistry.ofDefaults();
        this.retry = retries.retry(name, retryConfig(config, classifier));
        this.throttleBackoff = IntervalFunction.ofExponentialBackoff(config.initialBackoff(), config.backoffMultiplier(),
                config.maxBackoff());
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        this.breaker = config.breakerFailureThreshold() == 0 ? null : breakers.circuitBreaker(name, breakerConfig(config, classifier));
        RateLimiterRegistry limiters = RateLimiterRegistry.ofDefaults();
        this.requestLimiter = config.requestsPerSecond() == 0 ? null : limiters.rateLimiter(name, requestLimiterConfig(config));
        this.tokenLimiter = config.tokensPerMinute() == 0 ? null : limiters.rateLimiter(name + "-tokens", tokenLimiterConfig(config));
        this.attemptExecutor = config.attemptTimeout().isZero() ? null : Executors.newCachedThreadPool(Threads.numbered("aar-" + name + "-attempt-"));
        this.attemptLimiter = config.attemptTimeout().isZero() ? null : TimeLimiter.of(name, TimeLimiterConfig.custom()
                .timeoutDuration(config.attemptTimeout()).cancelRunningFuture(true).build());
        if (meters != null) {
            TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
            TaggedRateLimiterMetrics.ofRateLimiterRegistry(limiters).bindTo(meters);
        }
    }

    /** Creates a pipeline with the {@link FailureClassifier#DEFAULT} classifier; metrics go to {@code meters} if not null. */
    public static ResiliencePipeline of(String name, PipelineConfig config, MeterRegistry meters) {
        return new ResiliencePipeline(name, config, FailureClassifier.DEFAULT, meters);
    }

    /** Creates a pipeline that classifies failures with {@code classifier}; metrics go to {@code meters} if not null. */
    public static ResiliencePipeline of(String name, PipelineConfig config, FailureClassifier classifier, MeterRegistry meters) {
        return new ResiliencePipeline(name, config, classifier, meters);
    }

    public String name() {
        return name;
    }

    public PipelineConfig config() {
        return config;
    }

    /** Returns the circuit breaker, if this pipeline has one (for monitoring and tests). */
    public Optional<CircuitBreaker> circuitBreaker() {
        return Optional.ofNullable(breaker);
    }

    /** Runs {@code call} through the pipeline. */
    public <T> T execute(Supplier<T> call) {
        return execute(0, call);
    }

    /**
     * Runs {@code call}, which will send about {@code tokens} tokens, through the pipeline.
     *
     * @return what {@code call} returned on its first successful attempt
     * @throws RuntimeException the last failure of {@code call} when it is not transient or retries are spent,
     *     or a {@link ResilienceException} when a timeout, the breaker or a limiter stopped the call
     */
    public <T> T execute(long tokens, Supplier<T> call) {
        return run(tokens, config.waitForBreaker(), call);
    }

    /**
     * Runs {@code call} through the pipeline, failing at once with a {@link ResilienceException}
     * ({@code BREAKER_OPEN}) instead of waiting while the circuit breaker is open; otherwise like {@link #execute}.
     */
    public <T> T executeFailFast(Supplier<T> call) {
        return run(0, false, call);
    }

    /** Like {@link #executeFailFast(Supplier)} for a call that will send about {@code tokens} tokens. */
    public <T> T executeFailFast(long tokens, Supplier<T> call) {
        return run(tokens, false, call);
    }

    private <T> T run(long tokens, boolean waitForBreaker, Supplier<T> call) {
        Objects.requireNonNull(call, "call");
        Retry.Context<T> attempts = retry.context();
        long start = System.nanoTime();
        long breakerWaited = 0;
        int throttled = 0;
        RuntimeException last = null;
        while (true) {
            breakerWaited += awaitClosedBreaker(start, breakerWaited, waitForBreaker, last);
            checkDeadline(start, last);
            acquire(requestLimiter, 1, "request");
            acquire(tokenLimiter, (int) Math.min(tokens, config.tokensPerMinute()), "token");
            if (breaker != null && !breaker.tryAcquirePermission()) {
                if (!waitForBreaker) {
                    throw new ResilienceException(Reason.BREAKER_OPEN, name, "circuit breaker is "
                            + breaker.getState().name().toLowerCase(java.util.Locale.ROOT), last);
                }
                // another caller holds the half-open trial: wait for its outcome
                long begin = System.nanoTime();
                checkBreakerWait(start, breakerWaited, last);
                sleep(pollNanos(), last);
                breakerWaited += System.nanoTime() - begin;
                continue;
            }
            long attemptStart = System.nanoTime();
            try {
                T result = attempt(call);
                if (breaker != null) {
                    breaker.onSuccess(System.nanoTime() - attemptStart, TimeUnit.NANOSECONDS);
                }
                attempts.onComplete();
                return result;
            } catch (RuntimeException e) {
                last = e;
                if (breaker != null) {
                    breaker.onError(System.nanoTime() - attemptStart, TimeUnit.NANOSECONDS, e);
                    if (waitForBreaker && breaker.getState() != CircuitBreaker.State.CLOSED
                            && classifier.isTransient(e)) {
                        continue; // an outage, not this call's bad luck: wait for the breaker, keep the retries
                    }
                }
                Optional<Duration> asked = classifier.retryAfter(e);
                if (asked.isPresent() && classifier.isTransient(e) && !config.totalTimeout().isZero()
                        && System.nanoTime() + asked.get().toNanos() > deadline(start)) {
                    throw new ResilienceException(Reason.TIMEOUT, name, "the service asked to retry after " + asked.get()
                            + ", past the total timeout of " + config.totalTimeout() + "; last failure: " + e.getMessage(), e);
                }
                if (classifier.isThrottling(e)) {
                    // the server said when: wait exactly that; without a Retry-After, back off exponentially
                    int times = ++throttled;
                    long wait = asked.map(Duration::toMillis).orElseGet(() -> throttleBackoff.apply(times));
                    sleep(TimeUnit.MILLISECONDS.toNanos(wait), e);
                    continue;
                }
                attempts.onRuntimeError(e); // throws when not transient or out of retries, else sleeps the backoff
                if (Thread.currentThread().isInterrupted()) {
                    throw new ResilienceException(Reason.INTERRUPTED, name, "interrupted while backing off", e);
                }
            }
        }
    }

    private <T> T attempt(Supplier<T> call) {
        if (attemptLimiter == null) {
            return call.get();
        }
        // the attempt runs on the pipeline's own thread so the time limiter can stop waiting for it
        // (and interrupt it) when the attempt timeout passes
        AtomicReference<Future<T>> running = new AtomicReference<>();
        try {
            return attemptLimiter.executeFutureSupplier(() -> {
                Future<T> future = attemptExecutor.submit(call::get);
                running.set(future);
                return future;
            });
        } catch (TimeoutException e) {
            throw new ResilienceException(Reason.ATTEMPT_TIMEOUT, name, "attempt took longer than "
                    + config.attemptTimeout(), e);
        } catch (InterruptedException e) {
            Future<T> future = running.get();
            if (future != null) {
                future.cancel(true);
            }
            Thread.currentThread().interrupt();
            throw new ResilienceException(Reason.INTERRUPTED, name, "interrupted while waiting for an attempt", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // a Supplier throws no checked exception
        }
    }

    /** Sleeps while the breaker is open; returns the nanoseconds slept. */
    private long awaitClosedBreaker(long start, long waitedBefore, boolean waitForBreaker, RuntimeException last) {
        if (breaker == null || breaker.getState() != CircuitBreaker.State.OPEN) {
            return 0;
        }
        if (!waitForBreaker) {
            // an OPEN breaker past its break moves to HALF_OPEN when asked: let this caller be the trial
            if (breaker.tryAcquirePermission()) {
                breaker.releasePermission();
                return 0;
            }
            throw new ResilienceException(Reason.BREAKER_OPEN, name, "circuit breaker is open", last);
        }
        long begin = System.nanoTime();
        while (breaker.getState() == CircuitBreaker.State.OPEN) {
            checkBreakerWait(start, waitedBefore + System.nanoTime() - begin, last);
            // an OPEN breaker moves to HALF_OPEN only when asked after its break: ask, then give the permit back
            if (breaker.tryAcquirePermission()) {
                breaker.releasePermission();
                break;
            }
            sleep(pollNanos(), last);
        }
        return System.nanoTime() - begin;
    }

    private void checkBreakerWait(long start, long waited, RuntimeException last) {
        if (waited > config.maxBreakerWait().toNanos()) {
            throw new ResilienceException(Reason.BREAKER_OPEN, name, "circuit breaker stayed open for more than "
                    + config.maxBreakerWait(), last);
        }
        if (!config.totalTimeout().isZero() && System.nanoTime() > deadline(start)) {
            throw new ResilienceException(Reason.BREAKER_OPEN, name, "circuit breaker stayed open past the total timeout of "
                    + config.totalTimeout(), last);
        }
    }

    private long pollNanos() {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(5),
                Math.min(TimeUnit.SECONDS.toNanos(1), config.breakDuration().toNanos() / 20));
    }

    private void checkDeadline(long start, RuntimeException last) {
        if (!config.totalTimeout().isZero() && System.nanoTime() > deadline(start)) {
            throw new ResilienceException(Reason.TIMEOUT, name, "no success within the total timeout of "
                    + config.totalTimeout() + (last == null ? "" : "; last failure: " + last.getMessage()), last);
        }
    }

    private long deadline(long start) {
        return start + config.totalTimeout().toNanos();
    }

    private void acquire(RateLimiter limiter, int permits, String what) {
        if (limiter == null || permits <= 0) {
            return;
        }
        if (!limiter.acquirePermission(permits)) {
            throw new ResilienceException(Reason.RATE_LIMITED, name, "no " + what + " permit within "
                    + limiter.getRateLimiterConfig().getTimeoutDuration(), null);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new ResilienceException(Reason.INTERRUPTED, name, "interrupted while waiting for a " + what + " permit", null);
        }
    }

    private void sleep(long nanos, RuntimeException last) {
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResilienceException(Reason.INTERRUPTED, name, "interrupted while waiting for the circuit breaker", last);
        }
    }

    @Override
    public void close() {
        if (attemptExecutor != null) {
            attemptExecutor.shutdownNow();
        }
    }

    private static <T> RetryConfig retryConfig(PipelineConfig c, FailureClassifier classifier) {
        IntervalFunction backoff = c.jitter() == 0
                ? IntervalFunction.ofExponentialBackoff(c.initialBackoff(), c.backoffMultiplier(), c.maxBackoff())
                : IntervalFunction.ofExponentialRandomBackoff(c.initialBackoff(), c.backoffMultiplier(), c.jitter(), c.maxBackoff());
        IntervalBiFunction<Object> interval = (attempt, outcome) -> {
            long wait = backoff.apply(attempt);
            if (outcome.isLeft()) {
                wait = Math.max(wait, classifier.retryAfter(outcome.getLeft()).map(Duration::toMillis).orElse(0L));
            }
            return wait;
        };
        return RetryConfig.custom()
                .maxAttempts(c.maxRetries() + 1)
                .intervalBiFunction(interval)
                .retryOnException(classifier::isTransient)
                .failAfterMaxAttempts(false)
                .build();
    }

    private static CircuitBreakerConfig breakerConfig(PipelineConfig c, FailureClassifier classifier) {
        // "opens after N failures": the last N calls all failed
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(c.breakerFailureThreshold())
                .minimumNumberOfCalls(c.breakerFailureThreshold())
                .failureRateThreshold(100)
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(1))
                .waitDurationInOpenState(c.breakDuration())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(classifier::tripsBreaker)
                .build();
    }

    private static RateLimiterConfig requestLimiterConfig(PipelineConfig c) {
        // spread the per-second budget over ten windows so a burst cannot take a whole second's worth at once
        int perWindow = (int) Math.max(1, Math.round(c.requestsPerSecond() / 10));
        long windowNanos = Math.round(perWindow * 1e9 / c.requestsPerSecond());
        return RateLimiterConfig.custom()
                .limitForPeriod(perWindow)
                .limitRefreshPeriod(Duration.ofNanos(Math.max(windowNanos, 1_000)))
                .timeoutDuration(Duration.ofMinutes(10))
                .build();
    }

    private static RateLimiterConfig tokenLimiterConfig(PipelineConfig c) {
        return RateLimiterConfig.custom()
                .limitForPeriod((int) c.tokensPerMinute())
                .limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(Duration.ofMinutes(10))
                .build();
    }
}
