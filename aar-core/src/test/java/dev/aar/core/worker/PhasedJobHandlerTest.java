package dev.aar.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aar.core.config.WorkerProcessing;
import dev.aar.core.event.EventDispatcher;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.memory.InMemoryCheckpointStore;
import dev.aar.core.memory.InMemoryJobQueue;
import dev.aar.core.metrics.AarMetrics;
import dev.aar.queue.Checkpoint;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PhasedJobHandlerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int FILES = 250;

    private final MutableClock clock = new MutableClock();
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);
    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AarMetrics metrics = new AarMetrics(registry);
    private final List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final EventDispatcher dispatcher = EventDispatcher.of(List.of(events::add));
    private final List<WorkerPool> pools = new ArrayList<>();
    private final CountDownLatch unfreeze = new CountDownLatch(1);

    /** What the phases did, across attempts: "Extracting", "Indexing:<file>", "Analyzing:<extracted count>". */
    private final List<String> work = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() {
        unfreeze.countDown();
        pools.forEach(p -> p.shutdown(Duration.ZERO));
        dispatcher.close();
    }

    private PhasedJobHandler handler(CountDownLatch frozeAt150) {
        return PhasedJobHandler.builder("analysis")
                .phase(phase(Phase.EXTRACTING, ctx -> {
                    work.add("Extracting");
                    ctx.output("{\"files\":" + FILES + "}");
                }))
                .phase(phase(Phase.INDEXING, ctx -> {
                    for (int i = ctx.resumeProcessedFiles(); i < FILES; i++) {
                        if (i == 150 && frozeAt150 != null) {
                            frozeAt150.countDown();
                            unfreeze.await(); // the "process" hangs here until the test has moved on
                        }
                        work.add("Indexing:" + i);
                        int done = i + 1;
                        ctx.fileProcessed("src/File" + i + ".java", FILES, () -> "{\"vectors\":" + done + "}");
                    }
                }))
                .phase(phase(Phase.ANALYZING, ctx -> {
                    work.add("Analyzing:" + ctx.outputOf(Phase.EXTRACTING).orElseThrow());
                    ctx.result("report-1");
                }))
                .build();
    }

    private static JobPhase phase(Phase phase, PhaseBody body) {
        return new JobPhase() {
            @Override
            public Phase phase() {
                return phase;
            }

            @Override
            public void run(PhaseContext context) throws Exception {
                body.run(context);
            }
        };
    }

    @FunctionalInterface
    interface PhaseBody {
        void run(PhaseContext context) throws Exception;
    }

    private WorkerPool start(JobQueue on, PhasedJobHandler handler, String name) {
        WorkerPool p = WorkerPool.builder(on).handlers(handler).clock(clock).events(dispatcher).metrics(metrics)
                .checkpointStore(checkpoints).idleWait(Duration.ofMillis(20)).name(name)
                .config(WorkerProcessing.builder().maxConcurrentJobs(1).checkpointIntervalFiles(100).leaseSeconds(30)
                        .build())
                .build().start();
        pools.add(p);
        return p;
    }

    @Test
    void runsEveryPhaseInOrderAndReturnsTheResult() throws Exception {
        start(queue, handler(null), "single");
        Job job = queue.enqueue(JobRequest.of("analysis", "{\"projectId\":\"p1\"}", JobPriority.NORMAL));

        await().atMost(WAIT).until(() -> queue.find(job.id()).orElseThrow().state() == JobState.SUCCEEDED);

        assertThat(work).first().isEqualTo("Extracting");
        assertThat(work).filteredOn(w -> w.startsWith("Indexing")).hasSize(FILES);
        assertThat(work).last().isEqualTo("Analyzing:{\"files\":250}");
        assertThat(checkpoints.find(job.id())).as("checkpoint removed once the job succeeded").isEmpty();
        dispatcher.awaitIdle(WAIT);
        assertThat(events).filteredOn(JobCompleted.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((JobCompleted) e).reportId()).isEqualTo("report-1"));
        // checkpoints at 100 and 200 files, plus one after each phase but the last (whose results the
        // fenced completion writes)
        assertThat(registry.get(AarMetrics.CHECKPOINTS_SAVED).counter().count()).isEqualTo(4);
    }

    @Test
    void jobKilledMidPhaseResumesFromItsLastCheckpointOnAnotherWorker() throws Exception {
        PartitionableQueue nodeA = new PartitionableQueue(queue);
        CountDownLatch frozen = new CountDownLatch(1);
        start(nodeA, handler(frozen), "node-a");
        Job job = queue.enqueue(JobRequest.of("analysis", "{\"projectId\":\"p1\"}", JobPriority.HIGH));
        assertThat(frozen.await(20, TimeUnit.SECONDS)).isTrue();

        // node A dies mid-Indexing: it can no longer reach the queue, and its lease runs out
        nodeA.cut();
        Checkpoint atCrash = checkpoints.find(job.id()).orElseThrow();
        assertThat(atCrash.phase()).isEqualTo("Indexing");
        assertThat(atCrash.processedFileCount()).isEqualTo(100);
        assertThat(atCrash.lastProcessedFile()).isEqualTo("src/File99.java");
        assertThat(atCrash.data()).contains("\"completedPhases\":[\"Extracting\"]").contains("\"vectors\":100");
        clock.advanceSeconds(30);

        start(queue, handler(null), "node-b");
        await().atMost(WAIT).until(() -> queue.find(job.id()).orElseThrow().state() == JobState.SUCCEEDED);

        assertThat(work).filteredOn("Extracting"::equals).as("a completed phase is not run again").hasSize(1);
        List<String> indexed = work.stream().filter(w -> w.startsWith("Indexing:")).toList();
        assertThat(indexed.subList(0, 150)).as("node A did files 0..149").isEqualTo(range(0, 150));
        assertThat(indexed.subList(150, indexed.size())).as("node B resumed at file 100").isEqualTo(range(100, FILES));
        assertThat(work).last().isEqualTo("Analyzing:{\"files\":250}");
        assertThat(queue.find(job.id()).orElseThrow().attempts()).isEqualTo(2);

        // node A wakes up: it cannot write over node B's work, and the job stays succeeded
        unfreeze.countDown();
        await().atMost(WAIT).until(() -> pools.get(0).runningJobs().isEmpty());
        assertThat(checkpoints.find(job.id())).isEmpty();
        assertThat(queue.find(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void deferredWritesRunOnceInTheCompletionAndAFailedOneRunsTheLastPhaseAgain() throws Exception {
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger writeAttempts = new java.util.concurrent.atomic.AtomicInteger();
        PhasedJobHandler handler = PhasedJobHandler.builder("analysis")
                .phase(phase(Phase.EXTRACTING, ctx -> work.add("Extracting")))
                .phase(phase(Phase.SAVING, ctx -> {
                    work.add("Saving");
                    ctx.result("report-1");
                    ctx.job().onCompletion(() -> {
                        if (writeAttempts.incrementAndGet() == 1) {
                            throw new IllegalStateException("report store down");
                        }
                        written.add("report-1");
                    });
                }))
                .build();
        WorkerPool p = WorkerPool.builder(queue).handlers(handler).clock(clock).events(dispatcher).metrics(metrics)
                .checkpointStore(checkpoints).idleWait(Duration.ofMillis(20)).name("deferred")
                .config(WorkerProcessing.builder().maxConcurrentJobs(1).retryDelaySeconds(0).build()).build().start();
        pools.add(p);
        Job job = queue.enqueue(JobRequest.of("analysis", "{\"projectId\":\"p1\"}", JobPriority.NORMAL));

        await().atMost(WAIT).until(() -> queue.find(job.id()).orElseThrow().state() == JobState.SUCCEEDED);

        Job done = queue.find(job.id()).orElseThrow();
        assertThat(done.attempts()).isEqualTo(2);
        // what clients see of a server-side failure is a code and a correlation id; the log keeps the message
        assertThat(done.errors()).singleElement().satisfies(e -> assertThat(e.message()).startsWith("internal: ")
                .contains("correlation id").doesNotContain("report store down"));
        assertThat(work).as("the completed first phase is skipped, the last runs again").containsExactly(
                "Extracting", "Saving", "Saving");
        assertThat(written).containsExactly("report-1");
        dispatcher.awaitIdle(WAIT);
        assertThat(events).filteredOn(JobCompleted.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((JobCompleted) e).isSuccess()).isTrue());
    }

    private static List<String> range(int from, int to) {
        List<String> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add("Indexing:" + i);
        }
        return r;
    }
}
