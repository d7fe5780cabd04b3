package dev.aar.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.config.WorkerProcessing;
import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.event.EventDispatcher;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.event.ProgressUpdate;
import dev.aar.core.internal.Json;
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
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Phases that run together: each starts when the phases it runs after complete, keeps its own cursor, and stops with the others. */
class OverlappingPhasesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int FILES = 250;

    private final MutableClock clock = new MutableClock();
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);
    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final AarMetrics metrics = new AarMetrics(new SimpleMeterRegistry());
    private final List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final EventDispatcher dispatcher = EventDispatcher.of(List.of(events::add));
    private final List<WorkerPool> pools = new ArrayList<>();
    private final CountDownLatch unfreeze = new CountDownLatch(1);
    private final List<String> work = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() {
        unfreeze.countDown();
        pools.forEach(p -> p.shutdown(Duration.ZERO));
        dispatcher.close();
    }

    private static JobPhase phase(Phase phase, PhasedJobHandlerTest.PhaseBody body) {
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

    private WorkerPool start(JobQueue on, PhasedJobHandler handler, String name) {
        WorkerPool p = WorkerPool.builder(on).handlers(handler).clock(clock).events(dispatcher).metrics(metrics)
                .checkpointStore(checkpoints).idleWait(Duration.ofMillis(20)).name(name)
                .config(WorkerProcessing.builder().maxConcurrentJobs(1).checkpointIntervalFiles(100).leaseSeconds(30)
                        .retryDelaySeconds(0).build())
                .build().start();
        pools.add(p);
        return p;
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
        assertThat(marks).containsExactly("Extracting started", "Indexing started", "Extracting completed",
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
}
