package dev.aar.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.config.WorkerProcessing;
import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.event.EventDispatcher;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.event.ProgressUpdate;
import dev.aar.core.internal.Json;
import dev.aar.core.memory.InMemoryCheckpointStore;
import dev.aar.core.memory.InMemoryJobQueue;
import dev.aar.core.metrics.AarMetrics;
import dev.aar.core.testing.PhaseMarks;
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
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Phases in order or together: resume from each phase's own checkpoint, deferred writes, one failure stops all. */
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

    /** Waits (without sleeping) until the phase's job says stop, then unwinds as a stopped phase does. */
    private static void parkUntilStopped(PhaseContext ctx) {
        while (!ctx.job().isCancelled()) {
            LockSupport.parkNanos(1_000_000);
        }
        ctx.job().throwIfCancelled();
    }

    @Test
    void aPhaseRunsBesideTheOneItDoesNotWaitForAndTheLastWaitsForAll() throws Exception {
        CountDownLatch indexingRuns = new CountDownLatch(1);
        CountDownLatch extractingRuns = new CountDownLatch(1);
        PhasedJobHandler handler = PhasedJobHandler.builder("analysis")
                .phase(phase(Phase.EXTRACTING, ctx -> {
                    extractingRuns.countDown();
                    // completes only once Indexing is running: both are in flight together
                    assertThat(indexingRuns.await(20, TimeUnit.SECONDS)).isTrue();
                    work.add("Extracting done");
                }))
                .phase(phase(Phase.INDEXING, ctx -> {
                    indexingRuns.countDown();
                    assertThat(extractingRuns.await(20, TimeUnit.SECONDS)).isTrue();
                    // Analyzing runs after Extracting only: it completes while this phase still runs
                    await().atMost(WAIT).until(() -> ctx.isCompleted(Phase.ANALYZING));
                    work.add("Indexing done");
                }), Set.of())
                .phase(phase(Phase.ANALYZING, ctx -> {
                    assertThat(ctx.isCompleted(Phase.EXTRACTING)).isTrue();
                    assertThat(ctx.isCompleted(Phase.INDEXING)).isFalse();
                    work.add("Analyzing done");
                }), Set.of(Phase.EXTRACTING))
                .phase(phase(Phase.SAVING, ctx -> {
                    work.add("Saving");
                    ctx.result("report-1");
                }))
                .build();
        assertThat(handler.after(Phase.ANALYZING)).containsExactly(Phase.EXTRACTING);
        assertThat(handler.after(Phase.SAVING)).containsExactlyInAnyOrder(Phase.EXTRACTING, Phase.INDEXING, Phase.ANALYZING);
        start(queue, handler, "overlap");
        Job job = queue.enqueue(JobRequest.of("analysis", "{\"projectId\":\"p1\"}", JobPriority.NORMAL));

        await().atMost(WAIT).until(() -> queue.find(job.id()).orElseThrow().state() == JobState.SUCCEEDED);

        assertThat(work).containsExactly("Extracting done", "Analyzing done", "Indexing done", "Saving");
        dispatcher.awaitIdle(WAIT);
        List<String> marks = events.stream().filter(ProgressUpdate.class::isInstance).map(ProgressUpdate.class::cast)
                .map(u -> u.phase().displayName() + " " + u.message()).toList();
        // each phase starts and completes once; starts follow the running order, and a phase's
        // completion comes before the start of any phase waiting for it
        PhaseMarks.assertMarks(marks, "Extracting started", "Indexing started", "Extracting completed",
                "Analyzing started", "Analyzing completed", "Indexing completed", "Saving started", "Saving completed");
    }

    @Test
    void whenOnePhaseFailsThePhasesBesideItStopAndTheJobKeepsTheFirstFailure() throws Exception {
        CountDownLatch indexing = new CountDownLatch(1);
        List<String> stoppedWith = Collections.synchronizedList(new ArrayList<>());
        PhasedJobHandler handler = PhasedJobHandler.builder("analysis")
                .phase(phase(Phase.EXTRACTING, ctx -> {
                    assertThat(indexing.await(20, TimeUnit.SECONDS)).isTrue();
                    throw new ArchiveRejectedException(ArchiveRejectedException.Reason.CORRUPT, "src/Late.java",
                            "entry 'src/Late.java' fails its CRC check");
                }))
                .phase(phase(Phase.INDEXING, ctx -> {
                    indexing.countDown();
                    try {
                        parkUntilStopped(ctx);
                    } catch (RuntimeException e) {
                        stoppedWith.add(e.getMessage());
                        throw e;
                    }
                }), Set.of())
                .phase(phase(Phase.SAVING, ctx -> work.add("Saving")))
                .build();
        start(queue, handler, "failing");
        Job job = queue.enqueue(JobRequest.of("analysis", "{\"projectId\":\"p1\"}", JobPriority.NORMAL));

        await().atMost(WAIT).until(() -> queue.find(job.id()).orElseThrow().state() == JobState.DEAD_LETTERED);

        Job dead = queue.find(job.id()).orElseThrow();
        assertThat(dead.attempts()).as("refused input is not retried").isEqualTo(1);
        assertThat(dead.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("archive.corrupt")
                .contains("fails its CRC check").doesNotContain("stopped"));
        assertThat(stoppedWith).singleElement().satisfies(m -> assertThat(m).contains("Extracting failed"));
        assertThat(work).as("Saving never starts").isEmpty();
        dispatcher.awaitIdle(WAIT);
        assertThat(events).filteredOn(ProgressUpdate.class::isInstance).map(e -> ((ProgressUpdate) e).message())
                .doesNotContain("completed");
    }

    @Test
    void aJobKilledWithTwoPhasesInFlightResumesEachFromItsOwnCheckpoint() throws Exception {
        PartitionableQueue nodeA = new PartitionableQueue(queue);
        CountDownLatch indexingFrozen = new CountDownLatch(1);
        CountDownLatch analyzingFrozen = new CountDownLatch(1);
        start(nodeA, twoInFlight(indexingFrozen, analyzingFrozen), "node-a");
        Job job = queue.enqueue(JobRequest.of("analysis", "{\"projectId\":\"p1\"}", JobPriority.HIGH));
        assertThat(indexingFrozen.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(analyzingFrozen.await(20, TimeUnit.SECONDS)).isTrue();

        nodeA.cut();
        Checkpoint atCrash = checkpoints.find(job.id()).orElseThrow();
        // the row names the first unfinished phase, as before; every phase in flight has its own cursor
        assertThat(atCrash.phase()).isEqualTo("Indexing");
        assertThat(atCrash.processedFileCount()).isEqualTo(100);
        JsonNode data = Json.read(atCrash.data());
        assertThat(data.path("completedPhases").toString()).isEqualTo("[\"Extracting\"]");
        assertThat(data.path("inFlight").path("Indexing").path("processed").asInt()).isEqualTo(100);
        assertThat(data.path("inFlight").path("Analyzing").path("processed").asInt()).isEqualTo(2);
        assertThat(data.path("inFlight").path("Analyzing").path("lastFile").asText()).isEqualTo("rule-1");
        clock.advanceSeconds(30);

        start(queue, twoInFlight(null, null), "node-b");
        await().atMost(WAIT).until(() -> queue.find(job.id()).orElseThrow().state() == JobState.SUCCEEDED);

        assertThat(work).filteredOn("Extracting"::equals).hasSize(1);
        List<String> indexed = work.stream().filter(w -> w.startsWith("Indexing:")).toList();
        assertThat(indexed.subList(150, indexed.size())).as("node B resumed Indexing at file 100")
                .startsWith("Indexing:100").hasSize(FILES - 100);
        List<String> rules = work.stream().filter(w -> w.startsWith("Analyzing:")).toList();
        assertThat(rules).as("node A did rules 0..2, node B resumed at rule 2")
                .containsExactly("Analyzing:0", "Analyzing:1", "Analyzing:2", "Analyzing:2", "Analyzing:3", "Analyzing:4");
        assertThat(work).last().isEqualTo("Saving");
    }

    /** Indexing walks files and Analyzing walks five rules beside it; each can freeze mid-way. */
    private PhasedJobHandler twoInFlight(CountDownLatch indexingFrozen, CountDownLatch analyzingFrozen) {
        return PhasedJobHandler.builder("analysis")
                .phase(phase(Phase.EXTRACTING, ctx -> work.add("Extracting")))
                .phase(phase(Phase.INDEXING, ctx -> {
                    for (int i = ctx.resumeProcessedFiles(); i < FILES; i++) {
                        if (i == 150 && indexingFrozen != null) {
                            indexingFrozen.countDown();
                            unfreeze.await();
                        }
                        work.add("Indexing:" + i);
                        ctx.fileProcessed("src/File" + i + ".java", FILES);
                    }
                }), Set.of(Phase.EXTRACTING))
                .phase(phase(Phase.ANALYZING, ctx -> {
                    for (int r = ctx.resumeProcessedFiles(); r < 5; r++) {
                        work.add("Analyzing:" + r);
                        if (r == 2 && analyzingFrozen != null) {
                            analyzingFrozen.countDown();
                            unfreeze.await();
                        }
                        ctx.checkpointAt(r + 1, "rule-" + r, 5, "{\"rules\":" + (r + 1) + "}");
                    }
                }), Set.of(Phase.EXTRACTING))
                .phase(phase(Phase.SAVING, ctx -> {
                    work.add("Saving");
                    ctx.result("report-1");
                }))
                .build();
    }

    @Test
    void theLastPhaseMustRunAfterEveryOther() {
        PhasedJobHandler.Builder b = PhasedJobHandler.builder("analysis")
                .phase(phase(Phase.EXTRACTING, ctx -> { }))
                .phase(phase(Phase.INDEXING, ctx -> { }))
                .phase(phase(Phase.SAVING, ctx -> { }), Set.of(Phase.EXTRACTING));
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("Saving");
        assertThatThrownBy(() -> PhasedJobHandler.builder("analysis")
                .phase(phase(Phase.INDEXING, ctx -> { }), Set.of(Phase.EXTRACTING)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not added before it");
    }

    private static List<String> range(int from, int to) {
        List<String> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add("Indexing:" + i);
        }
        return r;
    }
}
