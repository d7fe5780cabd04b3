package dev.aar.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aar.core.error.NotFoundException;
import dev.aar.core.config.WorkerProcessing;
import dev.aar.core.event.EventDispatcher;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.JobDeadLettered;
import dev.aar.core.event.JobFailed;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.memory.InMemoryCheckpointStore;
import dev.aar.core.memory.InMemoryJobQueue;
import dev.aar.core.metrics.AarMetrics;
import dev.aar.queue.Job;
import dev.aar.queue.JobError;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobRequest;
import dev.aar.queue.JobState;
import dev.aar.queue.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final MutableClock clock = new MutableClock();
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AarMetrics metrics = new AarMetrics(registry);
    private final List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final List<WorkerPool> pools = new ArrayList<>();
    private final List<CountDownLatch> latches = new ArrayList<>();
    private EventDispatcher dispatcher;

    @BeforeEach
    void setUp() {
        dispatcher = EventDispatcher.of(List.of(events::add));
    }

    @AfterEach
    void tearDown() {
        latches.forEach(l -> {
            while (l.getCount() > 0) {
                l.countDown();
            }
        });
        pools.forEach(p -> p.shutdown(Duration.ZERO));
        dispatcher.close();
        queue.close();
    }

    private double total(String counter, String outcome) {
        return registry.get(counter).tag("outcome", outcome).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private WorkerPool.Builder pool(int slots, JobHandler... handlers) {
        return WorkerPool.builder(queue).handlers(handlers).clock(clock).events(dispatcher).metrics(metrics)
                .checkpointStore(new InMemoryCheckpointStore()).idleWait(Duration.ofMillis(20))
                .config(WorkerProcessing.builder().maxConcurrentJobs(slots).retryDelaySeconds(30)
                        .maxRetryAttempts(2).leaseSeconds(30).shutdownGraceSeconds(5).build());
    }

    private WorkerPool start(WorkerPool.Builder builder) {
        WorkerPool p = builder.build().start();
        pools.add(p);
        return p;
    }

    private CountDownLatch latch() {
        CountDownLatch l = new CountDownLatch(1);
        latches.add(l);
        return l;
    }

    private Job enqueue(String type, JobPriority priority) {
        return queue.enqueue(JobRequest.of(type, "{\"projectId\":\"p-" + type + "\"}", priority));
    }

    private JobState state(Job job) {
        return queue.find(job.id()).orElseThrow().state();
    }

    private <T extends ProgressEvent> List<T> events(Class<T> type, Predicate<T> filter) {
        synchronized (events) {
            return events.stream().filter(type::isInstance).map(type::cast).filter(filter).toList();
        }
    }

    private static JobHandler handler(String type, ThrowingHandler body) {
        return new JobHandler() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public String handle(JobContext context) throws Exception {
                return body.handle(context);
            }
        };
    }

    @FunctionalInterface
    interface ThrowingHandler {
        String handle(JobContext context) throws Exception;
    }

    @Test
    void runsAJobAndReportsItsCompletion() throws Exception {
        start(pool(2, handler("ok", ctx -> "report-" + ctx.projectId())));

        Job job = enqueue("ok", JobPriority.HIGH);

        await().atMost(WAIT).until(() -> state(job) == JobState.SUCCEEDED);
        dispatcher.awaitIdle(WAIT);
        assertThat(events(JobCompleted.class, e -> true)).singleElement().satisfies(e -> {
            assertThat(e.isSuccess()).isTrue();
            assertThat(e.reportId()).isEqualTo("report-p-ok");
            assertThat(e.projectId()).isEqualTo("p-ok");
        });
        assertThat(registry.get(AarMetrics.JOBS_COMPLETED).tag("priority", "High").counter().count()).isEqualTo(1);
        assertThat(registry.get(AarMetrics.JOBS_DURATION).tag("outcome", "success").timer().count()).isEqualTo(1);
    }

    @Test
    void cleanupsRunAfterTheCompletionIsRecordedAndAnnouncedAndOnlyForASuccess() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch cleaned = latch();
        start(pool(1,
                handler("ok", ctx -> {
                    ctx.afterCompletion(() -> {
                        // by now the queue has the job as succeeded and the event went to the dispatcher
                        seen.add("first cleanup sees " + queue.find(ctx.jobId()).orElseThrow().state());
                        throw new IllegalStateException("a failing cleanup is logged; the next still runs");
                    });
                    ctx.afterCompletion(() -> {
                        seen.add("second cleanup");
                        cleaned.countDown();
                    });
                    seen.add("handler");
                    return "r";
                }),
                handler("bad", ctx -> {
                    ctx.afterCompletion(() -> seen.add("cleanup of a failed job"));
                    throw new NotFoundException("project", "p-bad");
                })));

        Job ok = enqueue("ok", JobPriority.HIGH);
        assertThat(cleaned.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(seen).containsExactly("handler", "first cleanup sees SUCCEEDED", "second cleanup");
        assertThat(state(ok)).isEqualTo(JobState.SUCCEEDED);

        Job bad = enqueue("bad", JobPriority.HIGH);
        await().atMost(WAIT).until(() -> state(bad) == JobState.DEAD_LETTERED);
        dispatcher.awaitIdle(WAIT);
        assertThat(seen).doesNotContain("cleanup of a failed job");
        assertThat(events(JobCompleted.class, e -> e.jobId().equals(ok.id()))).singleElement()
                .satisfies(e -> assertThat(e.isSuccess()).isTrue());
    }

    @Test
    void failuresBackOffExponentiallyThenDeadLetterWithHistory() throws Exception {
        start(pool(1, handler("bad", ctx -> {
            throw new IllegalStateException("attempt " + ctx.attempt() + " broke");
        })).retryPolicy(RetryPolicy.custom().maxRetryAttempts(2).baseDelay(Duration.ofSeconds(30)).jitter(0)
                .build()));
        Job job = enqueue("bad", JobPriority.NORMAL);
        var start = clock.instant();

        await().atMost(WAIT).until(() -> queue.find(job.id()).orElseThrow().errors().size() == 1);
        assertThat(queue.find(job.id()).orElseThrow().runAt()).isEqualTo(start.plusSeconds(30));
        clock.advanceSeconds(29);
        assertThat(state(job)).isEqualTo(JobState.QUEUED);
        clock.advanceSeconds(1);
        await().atMost(WAIT).until(() -> queue.find(job.id()).orElseThrow().errors().size() == 2);
        assertThat(queue.find(job.id()).orElseThrow().runAt()).isEqualTo(start.plusSeconds(30 + 60));
        clock.advanceSeconds(60);
        await().atMost(WAIT).until(() -> state(job) == JobState.DEAD_LETTERED);

        Job dead = queue.deadLetters(10).get(0);
        // an unexpected exception shows its code and a correlation id, never its message
        assertThat(dead.errors()).extracting(JobError::message).hasSize(3).allSatisfy(m -> assertThat(m)
                .matches("internal: the server failed; its log has the details under correlation id [0-9a-f]{12}"))
                .doesNotHaveDuplicates();
        dispatcher.awaitIdle(WAIT);
        assertThat(events(JobFailed.class, e -> true)).extracting(JobFailed::attempt).containsExactly(1, 2);
        assertThat(events(JobDeadLettered.class, e -> true)).singleElement()
                .satisfies(e -> assertThat(e.attempts()).isEqualTo(3));
        assertThat(events(JobCompleted.class, e -> !e.isSuccess())).hasSize(1);
        // three failed attempts, one job failed for good
        assertThat(total(AarMetrics.JOBS_ATTEMPTS_FAILED, "retry")).isEqualTo(2);
        assertThat(total(AarMetrics.JOBS_ATTEMPTS_FAILED, "dead_letter")).isEqualTo(1);
        assertThat(registry.get(AarMetrics.JOBS_FAILED).counters().stream().mapToDouble(c -> c.count()).sum()).isEqualTo(1);
    }

    @Test
    void aFailureReachesClientsAsACodeAndACorrelationIdWhileTheLogKeepsTheDetail() throws Exception {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        // slf4j-simple writes to whatever System.err is when it logs
        System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            start(pool(1, handler("io", ctx -> {
                throw new java.io.UncheckedIOException("extraction into /srv/aar-data/work/1/src failed: "
                        + "/srv/aar-data/work/1/src/a/b.txt: File name too long", new java.io.IOException("too long"));
            }), handler("refused", ctx -> {
                throw new dev.aar.core.error.ArchiveRejectedException(
                        dev.aar.core.error.ArchiveRejectedException.Reason.PATH_TRAVERSAL, "../x",
                        "entry ../x escapes /srv/aar-data/work/2/src with password=hunter22");
            })).retryPolicy(RetryPolicy.custom().maxRetryAttempts(0).build()));
            Job io = enqueue("io", JobPriority.NORMAL);
            Job refused = enqueue("refused", JobPriority.NORMAL);
            await().atMost(WAIT).until(() -> state(io) == JobState.DEAD_LETTERED && state(refused) == JobState.DEAD_LETTERED);
            dispatcher.awaitIdle(WAIT);

            String ioError = queue.find(io.id()).orElseThrow().errors().get(0).message();
            assertThat(ioError).startsWith("io.failed: the server failed; its log has the details under correlation id ")
                    .doesNotContain("/srv").doesNotContain("too long");
            String id = ioError.substring(ioError.length() - 12);
            assertThat(events(JobCompleted.class, e -> io.id().equals(e.jobId()))).singleElement()
                    .satisfies(e -> assertThat(e.error()).isEqualTo(ioError));
            await().atMost(WAIT).until(() -> log.toString(java.nio.charset.StandardCharsets.UTF_8).contains(id));
            String logged = log.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(logged.lines().filter(l -> l.contains(id))).singleElement()
                    .satisfies(l -> assertThat(l).contains(io.id()));
            assertThat(logged).contains("/srv/aar-data/work/1/src/a/b.txt: File name too long");

            // refused input keeps its message, with the server path shortened and the secret masked
            assertThat(queue.find(refused.id()).orElseThrow().errors().get(0).message())
                    .isEqualTo("archive.path_traversal: entry ../x escapes …/src with password=********");
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void clientErrorsAndUnknownTypesAreDeadLetteredAtOnce() {
        start(pool(1, handler("rejects", ctx -> {
            throw new NotFoundException("project", "p-rejects");
        })));
        Job rejected = enqueue("rejects", JobPriority.NORMAL);
        Job unknown = enqueue("nobody-handles-this", JobPriority.NORMAL);

        await().atMost(WAIT).until(() -> state(rejected) == JobState.DEAD_LETTERED
                && state(unknown) == JobState.DEAD_LETTERED);
        assertThat(queue.find(unknown.id()).orElseThrow().errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("no handler for job type 'nobody-handles-this'"));
        assertThat(queue.find(rejected.id()).orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void cancelStopsARunningJobCooperatively() throws Exception {
        CountDownLatch started = latch();
        WorkerPool pool = start(pool(1, handler("long", ctx -> {
            started.countDown();
            while (true) {
                ctx.throwIfCancelled();
                Thread.sleep(5);
            }
        })));
        Job job = enqueue("long", JobPriority.NORMAL);
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();

        assertThat(pool.cancel(job.id())).isTrue();

        await().atMost(WAIT).until(() -> pool.runningJobs().isEmpty());
        assertThat(state(job)).isEqualTo(JobState.CANCELLED);
        dispatcher.awaitIdle(WAIT);
        assertThat(events(JobCompleted.class, e -> true)).singleElement()
                .satisfies(e -> assertThat(e.error()).isEqualTo("cancelled"));
        assertThat(registry.get(AarMetrics.JOBS_DURATION).tag("outcome", "cancelled").timer().count()).isEqualTo(1);
    }

    @Test
    void cancelFromAnotherNodeReachesTheWorkerAtItsNextHeartbeat() throws Exception {
        CountDownLatch started = latch();
        WorkerPool pool = start(pool(1, handler("long", ctx -> {
            started.countDown();
            while (!ctx.isCancelled()) {
                Thread.sleep(5);
            }
            ctx.throwIfCancelled();
            return null;
        })).config(WorkerProcessing.builder().maxConcurrentJobs(1).leaseSeconds(2).build()));
        Job job = enqueue("long", JobPriority.NORMAL);
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
        JobClient elsewhere = new JobClient(queue, dispatcher, metrics, clock);

        assertThat(elsewhere.cancel(job.id())).isTrue();

        await().atMost(WAIT).until(() -> pool.runningJobs().isEmpty());
        dispatcher.awaitIdle(WAIT);
        assertThat(events(JobCompleted.class, e -> true)).singleElement()
                .satisfies(e -> assertThat(e.error()).isEqualTo("cancelled"));
    }

    @Test
    void workerThatLostItsLeaseStopsAndItsResultIsDiscarded() throws Exception {
        CountDownLatch started = latch();
        WorkerPool pool = start(pool(1, handler("stalls", ctx -> {
            started.countDown();
            while (!ctx.isCancelled()) {
                Thread.sleep(5);
            }
            return "late result";
        })).config(WorkerProcessing.builder().maxConcurrentJobs(1).leaseSeconds(2).build()));
        Job job = enqueue("stalls", JobPriority.NORMAL);
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();

        clock.advanceSeconds(2); // the lease lapses, as if the worker had stalled
        var takeover = queue.claim("other-node", 1, Duration.ofSeconds(30), JobPriority.LOW);

        assertThat(takeover).singleElement().satisfies(l -> assertThat(l.job().attempts()).isEqualTo(2));
        await().atMost(WAIT).until(() -> pool.runningJobs().isEmpty());
        assertThat(state(job)).isEqualTo(JobState.RUNNING);
        assertThat(queue.complete(job.id(), takeover.get(0).fencingToken())).isTrue();
        dispatcher.awaitIdle(WAIT);
        assertThat(events(JobCompleted.class, e -> true)).isEmpty();
    }

    @Test
    void cancelOfAQueuedJobEndsItWithoutRunning() throws Exception {
        WorkerPool pool = pool(1, handler("never", ctx -> "x")).build();
        Job job = enqueue("never", JobPriority.NORMAL);

        assertThat(pool.cancel(job.id())).isTrue();

        assertThat(state(job)).isEqualTo(JobState.CANCELLED);
        dispatcher.awaitIdle(WAIT);
        assertThat(events(JobCompleted.class, e -> "cancelled".equals(e.error()))).hasSize(1);
    }

    @Test
    void shutdownLetsJobsFinishWithinTheGrace() throws Exception {
        CountDownLatch started = latch();
        WorkerPool pool = start(pool(1, handler("short", ctx -> {
            started.countDown();
            Thread.sleep(200);
            return "done";
        })));
        Job job = enqueue("short", JobPriority.NORMAL);
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();

        pool.shutdown(Duration.ofSeconds(20));

        assertThat(state(job)).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void shutdownReleasesTheLeaseOfAJobThatOutlivesTheGrace() throws Exception {
        CountDownLatch started = latch();
        List<Boolean> sawStop = Collections.synchronizedList(new ArrayList<>());
        WorkerPool pool = start(pool(1, handler("slow", ctx -> {
            started.countDown();
            while (!ctx.isCancelled()) {
                Thread.sleep(5);
            }
            sawStop.add(true);
            ctx.throwIfCancelled();
            return "unreachable";
        })));
        Job job = enqueue("slow", JobPriority.NORMAL);
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();

        pool.shutdown(Duration.ofMillis(100));

        Job after = queue.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.QUEUED);
        assertThat(after.attempts()).isZero();
        // shutdown gives the handler a further second to notice; a busy machine may need longer
        await().atMost(WAIT).until(() -> !sawStop.isEmpty());
        assertThat(sawStop).containsExactly(true);
        assertThat(queue.stats().inFlight()).isZero();
    }

    @Test
    void idleWorkersStopPromptlyAtShutdown() {
        WorkerPool pool = start(pool(3, handler("x", ctx -> null)).idleWait(Duration.ofMinutes(10)));

        pool.shutdown(Duration.ofSeconds(20));

        Job job = enqueue("x", JobPriority.CRITICAL);
        assertThat(state(job)).isEqualTo(JobState.QUEUED);
    }

    @Test
    void maxConcurrentJobsRunsThatManyJobsOfAnyPriorityByDefault() {
        CountDownLatch release = latch();
        start(pool(3, handler("low", ctx -> {
            release.await();
            return null;
        })));
        for (int i = 0; i < 5; i++) {
            enqueue("low", JobPriority.LOW);
        }

        await().atMost(WAIT).until(() -> queue.stats().inFlight() == 3);
        release.countDown();
    }

    @Test
    void criticalJobStartsWhileLowJobsSaturateThePoolWhenASlotIsReserved() throws Exception {
        CountDownLatch lowRelease = latch();
        CountDownLatch criticalRan = latch();
        start(pool(3, handler("low", ctx -> {
            lowRelease.await();
            return null;
        }), handler("critical", ctx -> {
            criticalRan.countDown();
            return null;
        })).config(WorkerProcessing.builder().maxConcurrentJobs(3).reservedCriticalSlots(1).retryDelaySeconds(30)
                .maxRetryAttempts(2).leaseSeconds(30).shutdownGraceSeconds(5).build()));
        for (int i = 0; i < 10; i++) {
            enqueue("low", JobPriority.LOW);
        }
        await().atMost(WAIT).until(() -> queue.stats().inFlight() == 2);

        Job critical = enqueue("critical", JobPriority.CRITICAL);

        assertThat(criticalRan.await(20, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> state(critical) == JobState.SUCCEEDED);
        assertThat(queue.stats().queuedByPriority()).containsEntry(JobPriority.LOW, 8L);
    }

    @Test
    void lowJobProgressesUnderASteadyStreamOfHighJobs() throws Exception {
        CountDownLatch lowRan = latch();
        start(pool(2, handler("high", ctx -> {
            queue.enqueue(JobRequest.of("high", "{}", JobPriority.HIGH)); // the stream never dries up
            return null;
        }), handler("low", ctx -> {
            lowRan.countDown();
            return null;
        })).reservedCriticalSlots(1).fairShareInterval(5));
        List<JobRequest> backlog = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            backlog.add(JobRequest.of("high", "{}", JobPriority.HIGH));
        }
        queue.enqueueAll(backlog);
        enqueue("low", JobPriority.LOW);
        queue.enqueueAll(backlog);

        assertThat(lowRan.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(queue.stats().queuedByPriority().get(JobPriority.HIGH)).isGreaterThan(0);
    }
}
