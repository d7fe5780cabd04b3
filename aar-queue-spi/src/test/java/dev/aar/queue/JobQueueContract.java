package dev.aar.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link JobQueue} must have; each backend's test extends this class.
 *
 * <p>Time is read from the {@link MutableClock} given to {@link #createQueue(Clock)}, so lease
 * expiry and run-at are tested by moving the clock, never by sleeping.
 */
public abstract class JobQueueContract {

    protected static final Duration LEASE = Duration.ofSeconds(30);

    protected MutableClock clock;
    protected JobQueue queue;

    /** Returns a new, empty queue that reads the current time from {@code clock}. */
    protected abstract JobQueue createQueue(Clock clock);

    @BeforeEach
    void setUpQueue() {
        clock = new MutableClock();
        queue = createQueue(clock);
    }

    @AfterEach
    void tearDownQueue() {
        queue.close();
    }

    protected Job enqueue(String payload, JobPriority priority) {
        return queue.enqueue(JobRequest.of("test", payload, priority));
    }

    protected List<Lease> claim(String worker, int max) {
        return queue.claim(worker, max, LEASE, JobPriority.LOW);
    }

    protected Lease claimOne(String worker) {
        List<Lease> leases = claim(worker, 1);
        assertThat(leases).hasSize(1);
        return leases.get(0);
    }

    private static List<String> payloads(List<Lease> leases) {
        return leases.stream().map(l -> l.job().payload()).toList();
    }

    @Test
    void enqueuedJobIsQueuedWithItsFields() {
        Job job = queue.enqueue(JobRequest.of("analysis", "{\"projectId\":\"p1\"}", JobPriority.HIGH));

        assertThat(job.id()).isNotBlank();
        assertThat(job.type()).isEqualTo("analysis");
        assertThat(job.payload()).isEqualTo("{\"projectId\":\"p1\"}");
        assertThat(job.priority()).isEqualTo(JobPriority.HIGH);
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.attempts()).isZero();
        assertThat(job.createdAt()).isEqualTo(clock.instant());
        assertThat(job.runAt()).isEqualTo(clock.instant());
        assertThat(job.errors()).isEmpty();
        assertThat(queue.find(job.id())).get().extracting(Job::state).isEqualTo(JobState.QUEUED);
        assertThat(queue.find("no-such-job")).isEmpty();
    }

    @Test
    void claimsHighestPriorityFirst() {
        enqueue("low", JobPriority.LOW);
        enqueue("normal", JobPriority.NORMAL);
        enqueue("critical", JobPriority.CRITICAL);
        enqueue("high", JobPriority.HIGH);

        assertThat(payloads(claim("w", 10))).containsExactly("critical", "high", "normal", "low");
    }

    @Test
    void claimsFifoWithinAPriority() {
        for (int i = 0; i < 5; i++) {
            enqueue("n" + i, JobPriority.NORMAL);
        }
        assertThat(payloads(claim("w", 2))).containsExactly("n0", "n1");
        assertThat(payloads(claim("w", 10))).containsExactly("n2", "n3", "n4");
        assertThat(claim("w", 10)).isEmpty();
    }

    @Test
    void claimWithMinPriorityLeavesLowerJobsQueued() {
        enqueue("low", JobPriority.LOW);
        enqueue("high", JobPriority.HIGH);
        enqueue("critical", JobPriority.CRITICAL);

        assertThat(payloads(queue.claim("reserved", 10, LEASE, JobPriority.CRITICAL))).containsExactly("critical");
        assertThat(payloads(queue.claim("w", 10, LEASE, JobPriority.HIGH))).containsExactly("high");
        assertThat(queue.stats().queuedByPriority()).containsEntry(JobPriority.LOW, 1L);
    }

    @Test
    void ageOrderTakesTheEarliestEnqueuedWhateverItsPriority() {
        enqueue("low-first", JobPriority.LOW);
        enqueue("high-second", JobPriority.HIGH);
        enqueue("critical-third", JobPriority.CRITICAL);

        List<Lease> leases = queue.claim("w", 1, LEASE, JobPriority.LOW, ClaimOrder.AGE);
        assertThat(payloads(leases)).containsExactly("low-first");
        assertThat(payloads(queue.claim("w", 5, LEASE, JobPriority.HIGH, ClaimOrder.AGE)))
                .containsExactly("high-second", "critical-third");
    }

    @Test
    void claimLeasesTheJobWithAGrowingFencingToken() {
        Job job = enqueue("a", JobPriority.NORMAL);

        Lease lease = claimOne("w1");

        assertThat(lease.jobId()).isEqualTo(job.id());
        assertThat(lease.workerId()).isEqualTo("w1");
        assertThat(lease.expiresAt()).isEqualTo(clock.instant().plus(LEASE));
        assertThat(lease.job().state()).isEqualTo(JobState.RUNNING);
        assertThat(lease.job().attempts()).isEqualTo(1);
        assertThat(queue.find(job.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);

        assertThat(queue.release(job.id(), lease.fencingToken())).isTrue();
        Lease again = claimOne("w2");
        assertThat(again.fencingToken()).isGreaterThan(lease.fencingToken());
    }

    @Test
    void idempotencyKeyReturnsTheExistingJob() {
        Job first = queue.enqueue(JobRequest.of("t", "{\"v\":1}", JobPriority.NORMAL).withIdempotencyKey("upload-42"));
        Job second = queue.enqueue(JobRequest.of("t", "{\"v\":2}", JobPriority.HIGH).withIdempotencyKey("upload-42"));

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.payload()).isEqualTo("{\"v\":1}");
        assertThat(queue.stats().queued()).isEqualTo(1);

        Lease lease = claimOne("w");
        queue.complete(lease.jobId(), lease.fencingToken());
        Job afterCompletion = queue.enqueue(JobRequest.of("t", "{}", JobPriority.NORMAL).withIdempotencyKey("upload-42"));
        assertThat(afterCompletion.id()).isEqualTo(first.id());
        assertThat(afterCompletion.state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void enqueueAllKeepsRequestOrderAndDeduplicatesWithinTheBatch() {
        List<Job> jobs = queue.enqueueAll(List.of(
                JobRequest.of("t", "a", JobPriority.LOW).withIdempotencyKey("k"),
                JobRequest.of("t", "b", JobPriority.LOW),
                JobRequest.of("t", "c", JobPriority.LOW).withIdempotencyKey("k")));

        assertThat(jobs).extracting(Job::payload).containsExactly("a", "b", "a");
        assertThat(jobs.get(2).id()).isEqualTo(jobs.get(0).id());
        assertThat(payloads(claim("w", 10))).containsExactly("a", "b");
    }

    @Test
    void delayedJobIsNotClaimableBeforeItsRunAt() {
        queue.enqueue(JobRequest.of("t", "later", JobPriority.CRITICAL).withRunAt(clock.instant().plusSeconds(60)));
        enqueue("now", JobPriority.LOW);

        Lease now = claimOne("w");
        assertThat(now.job().payload()).isEqualTo("now");
        queue.complete(now.jobId(), now.fencingToken());
        assertThat(queue.stats().queuedByPriority()).containsEntry(JobPriority.CRITICAL, 1L);

        clock.advanceSeconds(59);
        assertThat(claim("w", 10)).isEmpty();
        clock.advanceSeconds(1);
        assertThat(payloads(claim("w", 10))).containsExactly("later");
    }

    @Test
    void completeMarksSucceededOnce() {
        enqueue("a", JobPriority.NORMAL);
        Lease lease = claimOne("w");

        assertThat(queue.complete(lease.jobId(), lease.fencingToken())).isTrue();
        assertThat(queue.complete(lease.jobId(), lease.fencingToken())).isFalse();
        assertThat(queue.fail(lease.jobId(), lease.fencingToken(), "late", null)).isFalse();
        assertThat(queue.find(lease.jobId()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(queue.stats().inFlight()).isZero();
    }

    @Test
    void completeAllCompletesTheCurrentLeasesAndSkipsStaleOnes() {
        for (int i = 0; i < 5; i++) {
            enqueue("j" + i, JobPriority.NORMAL);
        }
        List<Lease> leases = claim("w", 5);
        Lease cancelled = leases.get(1);
        queue.cancel(cancelled.jobId());
        Lease released = leases.get(2);
        queue.release(released.jobId(), released.fencingToken());
        Lease reclaimed = claimOne("w2");
        Lease alreadyDone = leases.get(3);
        queue.complete(alreadyDone.jobId(), alreadyDone.fencingToken());

        Set<String> completed = queue.completeAll(leases);

        assertThat(completed).containsExactlyInAnyOrder(leases.get(0).jobId(), leases.get(4).jobId());
        assertThat(queue.find(leases.get(0).jobId()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(queue.find(cancelled.jobId()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(queue.find(reclaimed.jobId()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        assertThat(queue.completeAll(leases)).isEmpty();
        assertThat(queue.completeAll(List.of())).isEmpty();
        assertThat(queue.completeAll(List.of(reclaimed, reclaimed))).containsExactly(reclaimed.jobId());
        assertThat(queue.stats().inFlight()).isZero();
    }

    @Test
    void completeAllRefusesLeasesThatHaveLapsed() {
        enqueue("a", JobPriority.NORMAL);
        enqueue("b", JobPriority.NORMAL);
        List<Lease> leases = claim("w", 2);
        clock.advance(LEASE);

        assertThat(queue.completeAll(leases)).isEmpty();
        assertThat(queue.stats().queued()).isEqualTo(2);
    }

    @Test
    void failedJobIsRetriedAtRetryAtWithItsErrorRecorded() {
        enqueue("a", JobPriority.NORMAL);
        Lease lease = claimOne("w");

        assertThat(queue.fail(lease.jobId(), lease.fencingToken(), "boom", clock.instant().plusSeconds(30))).isTrue();

        Job job = queue.find(lease.jobId()).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.runAt()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(job.errors()).singleElement().satisfies(e -> {
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.message()).isEqualTo("boom");
            assertThat(e.at()).isEqualTo(clock.instant());
        });
        assertThat(claim("w", 1)).isEmpty();

        clock.advanceSeconds(30);
        Lease second = claimOne("w");
        assertThat(second.job().attempts()).isEqualTo(2);
        assertThat(second.fencingToken()).isGreaterThan(lease.fencingToken());
    }

    @Test
    void failWithoutRetryAtDeadLettersWithTheWholeHistory() {
        enqueue("a", JobPriority.HIGH);
        for (int attempt = 1; attempt <= 3; attempt++) {
            Lease lease = claimOne("w");
            assertThat(lease.job().attempts()).isEqualTo(attempt);
            queue.fail(lease.jobId(), lease.fencingToken(), "error " + attempt,
                    attempt < 3 ? clock.instant() : null);
        }

        List<Job> dead = queue.deadLetters(10);
        assertThat(dead).singleElement().satisfies(job -> {
            assertThat(job.state()).isEqualTo(JobState.DEAD_LETTERED);
            assertThat(job.attempts()).isEqualTo(3);
            assertThat(job.errors()).extracting(JobError::message).containsExactly("error 1", "error 2", "error 3");
            assertThat(job.errors()).extracting(JobError::attempt).containsExactly(1, 2, 3);
        });
        assertThat(claim("w", 1)).isEmpty();
        QueueStats stats = queue.stats();
        assertThat(stats.deadLettered()).isEqualTo(1);
        assertThat(stats.queued()).isZero();
        assertThat(stats.inFlight()).isZero();
    }

    @Test
    void deadLettersAreListedOldestFirstUpToTheLimit() {
        for (String p : List.of("a", "b", "c")) {
            enqueue(p, JobPriority.NORMAL);
            Lease lease = claimOne("w");
            queue.fail(lease.jobId(), lease.fencingToken(), "no", null);
            clock.advanceSeconds(1);
        }
        assertThat(queue.deadLetters(2)).extracting(Job::payload).containsExactly("a", "b");
    }

    @Test
    void redriveQueuesADeadLetterAgainWithAFreshAttemptCount() {
        Job job = enqueue("a", JobPriority.NORMAL);
        Lease lease = claimOne("w");
        queue.fail(job.id(), lease.fencingToken(), "broken input", null);

        assertThat(queue.redrive(job.id())).isTrue();
        assertThat(queue.redrive(job.id())).isFalse();

        Job redriven = queue.find(job.id()).orElseThrow();
        assertThat(redriven.state()).isEqualTo(JobState.QUEUED);
        assertThat(redriven.attempts()).isZero();
        assertThat(redriven.errors()).extracting(JobError::message).containsExactly("broken input");
        assertThat(queue.deadLetters(10)).isEmpty();
        assertThat(claimOne("w").job().attempts()).isEqualTo(1);
    }

    @Test
    void redriveRefusesJobsThatAreNotDeadLettered() {
        Job job = enqueue("a", JobPriority.NORMAL);
        assertThat(queue.redrive(job.id())).isFalse();
        assertThat(queue.redrive("no-such-job")).isFalse();
    }

    @Test
    void redriveAllMovesEveryDeadLetterBack() {
        for (int i = 0; i < 3; i++) {
            enqueue("j" + i, JobPriority.LOW);
        }
        for (Lease lease : claim("w", 3)) {
            queue.fail(lease.jobId(), lease.fencingToken(), "x", null);
        }
        assertThat(queue.stats().deadLettered()).isEqualTo(3);

        assertThat(queue.redriveAll()).isEqualTo(3);

        assertThat(queue.stats().deadLettered()).isZero();
        assertThat(payloads(claim("w", 10))).containsExactlyInAnyOrder("j0", "j1", "j2");
        assertThat(queue.redriveAll()).isZero();
    }

    @Test
    void cancelledQueuedJobIsNeverClaimed() {
        Job job = enqueue("a", JobPriority.CRITICAL);
        enqueue("b", JobPriority.LOW);

        assertThat(queue.cancel(job.id())).isTrue();
        assertThat(queue.cancel(job.id())).isFalse();

        assertThat(payloads(claim("w", 10))).containsExactly("b");
        assertThat(queue.find(job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(queue.stats().queuedByPriority()).containsEntry(JobPriority.CRITICAL, 0L);
    }

    @Test
    void cancelledRunningJobCannotBeCompletedByItsWorker() {
        Job job = enqueue("a", JobPriority.NORMAL);
        Lease lease = claimOne("w");

        assertThat(queue.cancel(job.id())).isTrue();

        assertThat(queue.heartbeat(job.id(), lease.fencingToken(), LEASE)).isFalse();
        assertThat(queue.complete(job.id(), lease.fencingToken())).isFalse();
        assertThat(queue.find(job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(queue.stats().inFlight()).isZero();
    }

    @Test
    void cancelRefusesUnknownAndFinishedJobs() {
        assertThat(queue.cancel("no-such-job")).isFalse();
        enqueue("a", JobPriority.NORMAL);
        Lease lease = claimOne("w");
        queue.complete(lease.jobId(), lease.fencingToken());
        assertThat(queue.cancel(lease.jobId())).isFalse();
    }

    @Test
    void jobIsClaimableAgainAsSoonAsItsLeaseExpires() {
        Job job = enqueue("a", JobPriority.NORMAL);
        Lease dead = claimOne("worker-that-dies");

        clock.advance(LEASE.minusSeconds(1));
        assertThat(claim("w2", 1)).isEmpty();

        clock.advanceSeconds(1);
        Lease rescued = claimOne("w2");
        assertThat(rescued.jobId()).isEqualTo(job.id());
        assertThat(rescued.job().attempts()).isEqualTo(2);
        assertThat(rescued.fencingToken()).isGreaterThan(dead.fencingToken());
    }

    @Test
    void workerThatLostItsLeaseCannotCompleteFailOrExtend() {
        Job job = enqueue("a", JobPriority.NORMAL);
        Lease stale = claimOne("w1");
        clock.advance(LEASE);
        Lease current = claimOne("w2");

        assertThat(queue.complete(job.id(), stale.fencingToken())).isFalse();
        assertThat(queue.fail(job.id(), stale.fencingToken(), "x", null)).isFalse();
        assertThat(queue.heartbeat(job.id(), stale.fencingToken(), LEASE)).isFalse();
        assertThat(queue.release(job.id(), stale.fencingToken())).isFalse();
        assertThat(queue.find(job.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);

        assertThat(queue.complete(job.id(), current.fencingToken())).isTrue();
    }

    @Test
    void expiredLeaseIsStaleEvenBeforeAnotherWorkerClaims() {
        enqueue("a", JobPriority.NORMAL);
        Lease lease = claimOne("w1");
        clock.advance(LEASE);

        assertThat(queue.heartbeat(lease.jobId(), lease.fencingToken(), LEASE)).isFalse();
        assertThat(queue.complete(lease.jobId(), lease.fencingToken())).isFalse();
        assertThat(queue.find(lease.jobId()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void heartbeatExtendsTheLease() {
        enqueue("a", JobPriority.NORMAL);
        Lease lease = claimOne("w1");

        clock.advanceSeconds(20);
        assertThat(queue.heartbeat(lease.jobId(), lease.fencingToken(), LEASE)).isTrue();
        clock.advanceSeconds(20);
        assertThat(claim("w2", 1)).isEmpty();

        assertThat(queue.complete(lease.jobId(), lease.fencingToken())).isTrue();
    }

    @Test
    void releaseRequeuesWithoutCountingTheAttemptAndKeepsFifoPosition() {
        enqueue("first", JobPriority.NORMAL);
        Lease lease = claimOne("w");
        enqueue("second", JobPriority.NORMAL);

        assertThat(queue.release(lease.jobId(), lease.fencingToken())).isTrue();

        Job released = queue.find(lease.jobId()).orElseThrow();
        assertThat(released.state()).isEqualTo(JobState.QUEUED);
        assertThat(released.attempts()).isZero();
        assertThat(payloads(claim("w", 2))).containsExactly("first", "second");
    }

    @Test
    void statsCountQueuedPerPriorityInFlightAndDeadLetters() {
        enqueue("c", JobPriority.CRITICAL);
        enqueue("h1", JobPriority.HIGH);
        enqueue("h2", JobPriority.HIGH);
        enqueue("l", JobPriority.LOW);
        queue.enqueue(JobRequest.of("t", "later", JobPriority.NORMAL).withRunAt(clock.instant().plusSeconds(5)));
        Lease running = claimOne("w");
        Lease dying = claimOne("w");
        queue.fail(dying.jobId(), dying.fencingToken(), "x", null);

        QueueStats stats = queue.stats();
        assertThat(stats.queuedByPriority()).containsEntry(JobPriority.CRITICAL, 0L)
                .containsEntry(JobPriority.HIGH, 1L).containsEntry(JobPriority.NORMAL, 1L)
                .containsEntry(JobPriority.LOW, 1L);
        assertThat(stats.queued()).isEqualTo(3);
        assertThat(stats.inFlight()).isEqualTo(1);
        assertThat(stats.deadLettered()).isEqualTo(1);
        assertThat(running.job().payload()).isEqualTo("c");
    }

    /** Enqueues, claims and completes one job now; returns its id. */
    private String succeed(String payload) {
        enqueue(payload, JobPriority.NORMAL);
        Lease lease = claimOne("w");
        assertThat(queue.complete(lease.jobId(), lease.fencingToken())).isTrue();
        return lease.jobId();
    }

    /** Enqueues, claims and dead-letters one job now; returns its id. */
    private String deadLetter(String payload) {
        enqueue(payload, JobPriority.NORMAL);
        Lease lease = claimOne("w");
        assertThat(queue.fail(lease.jobId(), lease.fencingToken(), "gave up", null)).isTrue();
        return lease.jobId();
    }

    @Test
    void purgeDeletesSucceededAndCancelledJobsFinishedBeforeTheCutoff() {
        String succeeded = succeed("succeeded");
        String cancelledQueued = enqueue("cancelled-queued", JobPriority.HIGH).id();
        queue.cancel(cancelledQueued);
        enqueue("cancelled-running", JobPriority.NORMAL);
        Lease running = claimOne("w");
        queue.cancel(running.jobId());
        clock.advanceSeconds(60);
        String recent = succeed("recent");
        clock.advanceSeconds(60);

        assertThat(queue.purgeFinished(clock.instant().minusSeconds(90), false)).isEqualTo(3);

        assertThat(queue.find(succeeded)).isEmpty();
        assertThat(queue.find(cancelledQueued)).isEmpty();
        assertThat(queue.find(running.jobId())).isEmpty();
        assertThat(queue.find(recent)).get().extracting(Job::state).isEqualTo(JobState.SUCCEEDED);
        assertThat(queue.purgeFinished(clock.instant().minusSeconds(90), false)).isZero();
        assertThat(queue.purgeFinished(clock.instant(), false)).isEqualTo(1);
        assertThat(queue.find(recent)).isEmpty();
    }

    @Test
    void purgeKeepsAJobThatFinishedExactlyAtTheCutoff() {
        String job = succeed("a");

        assertThat(queue.purgeFinished(clock.instant(), true)).isZero();
        assertThat(queue.find(job)).isPresent();
        clock.advanceSeconds(1);
        assertThat(queue.purgeFinished(clock.instant(), true)).isEqualTo(1);
    }

    @Test
    void purgeNeverDeletesQueuedRunningOrScheduledJobsWhateverTheirAge() {
        Job waiting = enqueue("waiting", JobPriority.LOW);
        Job scheduled = queue.enqueue(JobRequest.of("t", "scheduled", JobPriority.NORMAL)
                .withRunAt(clock.instant().plus(Duration.ofDays(3))));
        enqueue("leased", JobPriority.CRITICAL);
        Lease leased = queue.claim("w", 1, Duration.ofDays(3), JobPriority.CRITICAL).get(0);
        enqueue("retrying", JobPriority.HIGH);
        Lease retrying = claimOne("w");
        queue.fail(retrying.jobId(), retrying.fencingToken(), "try later", clock.instant().plus(Duration.ofDays(3)));
        enqueue("lapsed", JobPriority.HIGH);
        Lease lapsed = claimOne("dead-worker");
        String redriven = deadLetter("redriven");
        queue.redrive(redriven);
        clock.advance(Duration.ofDays(2));
        QueueStats before = queue.stats();

        assertThat(queue.purgeFinished(clock.instant(), true)).isZero();

        assertThat(queue.find(waiting.id())).get().extracting(Job::state).isEqualTo(JobState.QUEUED);
        assertThat(queue.find(scheduled.id())).get().extracting(Job::state).isEqualTo(JobState.QUEUED);
        assertThat(queue.find(leased.jobId())).get().extracting(Job::state).isEqualTo(JobState.RUNNING);
        assertThat(queue.find(retrying.jobId())).get().satisfies(job -> {
            assertThat(job.state()).isEqualTo(JobState.QUEUED);
            assertThat(job.errors()).extracting(JobError::message).containsExactly("try later");
        });
        assertThat(queue.find(lapsed.jobId())).get().extracting(Job::state).isEqualTo(JobState.QUEUED);
        assertThat(queue.find(redriven)).get().extracting(Job::state).isEqualTo(JobState.QUEUED);
        assertThat(queue.stats()).isEqualTo(before);
        assertThat(queue.complete(leased.jobId(), leased.fencingToken())).isTrue();
    }

    @Test
    void purgeDeletesDeadLettersOnlyWhenAsked() {
        String old = deadLetter("old");
        String finished = succeed("finished");
        clock.advanceSeconds(60);
        String recent = deadLetter("recent");
        clock.advanceSeconds(1);
        Instant cutoff = clock.instant().minusSeconds(30);

        assertThat(queue.purgeFinished(cutoff, false)).isEqualTo(1);
        assertThat(queue.find(finished)).isEmpty();
        assertThat(queue.deadLetters(10)).extracting(Job::id).containsExactly(old, recent);
        assertThat(queue.stats().deadLettered()).isEqualTo(2);

        assertThat(queue.purgeFinished(cutoff, true)).isEqualTo(1);

        assertThat(queue.find(old)).isEmpty();
        assertThat(queue.redrive(old)).isFalse();
        assertThat(queue.deadLetters(10)).extracting(Job::id).containsExactly(recent);
        assertThat(queue.stats().deadLettered()).isEqualTo(1);
    }

    @Test
    void aPurgedJobsIdempotencyKeyCreatesANewJob() {
        Job first = queue.enqueue(JobRequest.of("t", "first", JobPriority.NORMAL).withIdempotencyKey("upload-7"));
        Lease lease = claimOne("w");
        queue.complete(lease.jobId(), lease.fencingToken());
        clock.advanceSeconds(1);
        assertThat(queue.enqueue(JobRequest.of("t", "again", JobPriority.NORMAL).withIdempotencyKey("upload-7")).id())
                .isEqualTo(first.id());

        assertThat(queue.purgeFinished(clock.instant(), false)).isEqualTo(1);

        Job second = queue.enqueue(JobRequest.of("t", "second", JobPriority.NORMAL).withIdempotencyKey("upload-7"));
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.state()).isEqualTo(JobState.QUEUED);
        assertThat(second.payload()).isEqualTo("second");
        assertThat(queue.stats().queued()).isEqualTo(1);
    }

    @Test
    void purgeCountsEveryJobItDeletesAcrossALargeBacklog() {
        int old = 2_345;
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < old; i++) {
            requests.add(JobRequest.of("t", "old" + i, JobPriority.values()[i % 4]));
        }
        queue.enqueueAll(requests);
        List<Lease> leases = claim("w", old);
        assertThat(queue.completeAll(leases.subList(0, old - 45))).hasSize(old - 45);
        for (Lease lease : leases.subList(old - 45, old)) {
            queue.fail(lease.jobId(), lease.fencingToken(), "x", null);
        }
        clock.advanceSeconds(10);
        Instant cutoff = clock.instant();
        enqueue("new-succeeded", JobPriority.NORMAL);
        Lease recent = claimOne("w");
        queue.complete(recent.jobId(), recent.fencingToken());
        enqueue("still-queued", JobPriority.LOW);

        assertThat(queue.purgeFinished(cutoff, true)).isEqualTo(old);

        assertThat(queue.find(leases.get(0).jobId())).isEmpty();
        assertThat(queue.find(leases.get(old - 1).jobId())).isEmpty();
        assertThat(queue.find(recent.jobId())).isPresent();
        QueueStats stats = queue.stats();
        assertThat(stats.queued()).isEqualTo(1);
        assertThat(stats.inFlight()).isZero();
        assertThat(stats.deadLettered()).isZero();
        assertThat(queue.purgeFinished(cutoff, true)).isZero();
    }

    @Test
    void purgeRefusesANullCutoff() {
        org.assertj.core.api.Assertions.assertThatNullPointerException()
                .isThrownBy(() -> queue.purgeFinished(null, true));
    }

    @Test
    void concurrentClaimersNeverGetTheSameJob() throws Exception {
        int jobs = 2_000;
        int threads = 8;
        for (int i = 0; i < jobs; i++) {
            enqueue("j" + i, JobPriority.values()[i % 4]);
        }
        Set<String> claimed = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String worker = "w" + t;
                results.add(pool.submit(() -> {
                    start.await();
                    int duplicates = 0;
                    List<Lease> batch;
                    while (!(batch = queue.claim(worker, 1 + worker.length() % 3, LEASE, JobPriority.LOW)).isEmpty()) {
                        for (Lease l : batch) {
                            if (!claimed.add(l.jobId())) {
                                duplicates++;
                            }
                            queue.complete(l.jobId(), l.fencingToken());
                        }
                    }
                    return duplicates;
                }));
            }
            start.countDown();
            int duplicates = 0;
            for (Future<Integer> r : results) {
                duplicates += r.get(60, TimeUnit.SECONDS);
            }
            assertThat(duplicates).isZero();
            assertThat(claimed).hasSize(jobs);
            assertThat(queue.stats().queued()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentEnqueuesWithOneKeyCreateOneJob() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ids.add(pool.submit(() -> queue.enqueue(
                        JobRequest.of("t", "{}", JobPriority.NORMAL).withIdempotencyKey("same")).id()));
            }
            Set<String> distinct = new HashSet<>();
            for (Future<String> id : ids) {
                distinct.add(id.get(30, TimeUnit.SECONDS));
            }
            assertThat(distinct).hasSize(1);
            assertThat(queue.stats().queued()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void waitingWorkerWakesOnEnqueue() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<Lease>> worker = pool.submit(() -> {
                waiting.countDown();
                // a backend may return early; a correct worker simply claims again
                for (int i = 0; i < 1_000; i++) {
                    List<Lease> leases = claim("w", 1);
                    if (!leases.isEmpty()) {
                        return leases;
                    }
                    queue.awaitWork(Duration.ofMinutes(10));
                }
                return List.of();
            });
            waiting.await();
            enqueue("wake", JobPriority.LOW);
            // generous bound: a worker that only woke by timeout would take ten minutes
            assertThat(payloads(worker.get(30, TimeUnit.SECONDS))).containsExactly("wake");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void awaitWorkReturnsAtOnceWhenWorkIsAlreadyClaimable() throws Exception {
        enqueue("ready", JobPriority.CRITICAL);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            pool.submit(() -> {
                queue.awaitWork(Duration.ofMinutes(10), JobPriority.CRITICAL);
                return null;
            }).get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void invalidArgumentsAreRefused() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> queue.claim("w", 0, LEASE, JobPriority.LOW));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> queue.claim("w", 1, Duration.ZERO, JobPriority.LOW));
    }

    // ---- owners and dead letters per owner ----

    /** How many dead letters of one owner the per-owner listing test puts ahead of another owner's. */
    protected int deadLettersAhead() {
        return 10_000;
    }

    @Test
    void aJobKeepsTheOwnerItWasEnqueuedWith() {
        Job owned = queue.enqueue(JobRequest.of("test", "a", JobPriority.NORMAL).withOwner("org-a"));
        Job unowned = enqueue("b", JobPriority.NORMAL);

        assertThat(owned.owner()).isEqualTo("org-a");
        assertThat(unowned.owner()).isNull();
        assertThat(queue.find(owned.id()).orElseThrow().owner()).isEqualTo("org-a");
        assertThat(claim("w", 10)).extracting(l -> l.job().owner()).containsExactly("org-a", null);
    }

    @Test
    void manyDeadLettersOfOneOwnerDoNotHideAnothersOwn() {
        int ahead = deadLettersAhead();
        List<JobRequest> requests = new ArrayList<>(ahead);
        for (int i = 0; i < ahead; i++) {
            requests.add(JobRequest.of("test", "a" + i, JobPriority.NORMAL).withOwner("org-a"));
        }
        queue.enqueueAll(requests);
        for (List<Lease> batch = claim("w", 1_000); !batch.isEmpty(); batch = claim("w", 1_000)) {
            for (Lease lease : batch) {
                assertThat(queue.fail(lease.jobId(), lease.fencingToken(), "broken", null)).isTrue();
            }
        }
        clock.advanceSeconds(1);
        Job b = queue.enqueue(JobRequest.of("test", "b", JobPriority.NORMAL).withOwner("org-b"));
        Lease lease = claimOne("w");
        queue.fail(lease.jobId(), lease.fencingToken(), "broken too", null);

        assertThat(queue.deadLetters(100)).extracting(Job::owner).containsOnly("org-a");
        assertThat(queue.deadLetters("org-b", 100)).singleElement().satisfies(j -> {
            assertThat(j.id()).isEqualTo(b.id());
            assertThat(j.owner()).isEqualTo("org-b");
            assertThat(j.state()).isEqualTo(JobState.DEAD_LETTERED);
            assertThat(j.errors()).extracting(JobError::message).containsExactly("broken too");
        });
        assertThat(queue.deadLetters("org-a", 3)).extracting(Job::payload).containsExactly("a0", "a1", "a2");
        assertThat(queue.deadLetters("org-c", 100)).isEmpty();
    }

    @Test
    void redriveAllOfAnOwnerLeavesOtherOwnersDeadLetters() {
        for (String owner : List.of("org-a", "org-b", "org-a")) {
            queue.enqueue(JobRequest.of("test", owner, JobPriority.NORMAL).withOwner(owner));
            Lease lease = claimOne("w");
            queue.fail(lease.jobId(), lease.fencingToken(), "no", null);
        }

        assertThat(queue.redriveAll("org-a")).isEqualTo(2);
        assertThat(queue.deadLetters("org-a", 10)).isEmpty();
        assertThat(queue.deadLetters("org-b", 10)).hasSize(1);
        assertThat(claim("w", 10)).extracting(l -> l.job().owner()).containsExactly("org-a", "org-a");
        assertThat(queue.redriveAll("org-c")).isZero();
    }

    @Test
    void aRedrivenJobLeavesItsOwnersListing() {
        Job job = queue.enqueue(JobRequest.of("test", "a", JobPriority.NORMAL).withOwner("org-a"));
        Lease lease = claimOne("w");
        queue.fail(job.id(), lease.fencingToken(), "no", null);
        assertThat(queue.deadLetters("org-a", 10)).extracting(Job::id).containsExactly(job.id());

        assertThat(queue.redrive(job.id())).isTrue();
        assertThat(queue.deadLetters("org-a", 10)).isEmpty();
    }

    // ---- fenced steps: completion and checkpoint with the writes they carry ----

    /**
     * Returns a checkpoint store of the same backend whose writes join this queue's fenced steps
     * (the same database), or null if the backend has none; the tests below then use a counter.
     */
    protected CheckpointStore joiningCheckpointStore() {
        return null;
    }

    /** Whether the joining store's writes are undone when a fenced step's work throws (a transaction). */
    protected boolean undoesTheWritesOfAFailedStep() {
        return false;
    }

    private static Checkpoint checkpointOf(String jobId, String phase, Instant at) {
        return new Checkpoint(jobId, "p", phase, null, 0, 0, "{}", at, at);
    }

    @Test
    void fencedCompletionRunsTheWorkAndCompletes() {
        Job job = enqueue("a", JobPriority.NORMAL);
        Lease lease = claimOne("w");
        List<String> writes = new ArrayList<>();

        assertThat(queue.complete(job.id(), lease.fencingToken(), LEASE, () -> writes.add("report"))).isTrue();

        assertThat(writes).containsExactly("report");
        assertThat(queue.find(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(queue.complete(job.id(), lease.fencingToken(), LEASE, () -> writes.add("again"))).isFalse();
        assertThat(writes).containsExactly("report");
    }

    @Test
    void aStaleWorkersFencedCompletionRunsNothingAndChangesNothing() {
        Job job = enqueue("a", JobPriority.NORMAL);
        Lease stale = claimOne("paused");
        clock.advance(LEASE);
        Lease current = claimOne("w2");
        List<String> writes = new ArrayList<>();

        assertThat(queue.complete(job.id(), stale.fencingToken(), LEASE, () -> writes.add("stale"))).isFalse();
        assertThat(queue.heartbeat(job.id(), stale.fencingToken(), LEASE, () -> writes.add("stale"))).isFalse();

        assertThat(writes).isEmpty();
        assertThat(queue.find(job.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        assertThat(queue.complete(job.id(), current.fencingToken(), LEASE, () -> writes.add("current"))).isTrue();
        assertThat(writes).containsExactly("current");
    }

    @Test
    void aLapsedLeaseRunsNoFencedWorkEvenBeforeAnotherClaim() {
        Job job = enqueue("a", JobPriority.NORMAL);
        Lease lease = claimOne("w");
        clock.advance(LEASE);
        List<String> writes = new ArrayList<>();

        assertThat(queue.complete(job.id(), lease.fencingToken(), LEASE, () -> writes.add("x"))).isFalse();
        assertThat(queue.heartbeat(job.id(), lease.fencingToken(), LEASE, () -> writes.add("x"))).isFalse();
        assertThat(writes).isEmpty();
        assertThat(queue.find(job.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void fencedWorkThatThrowsLeavesTheJobRunningUnderTheSameLease() {
        Job job = enqueue("a", JobPriority.NORMAL);
        Lease lease = claimOne("w");
        RuntimeException boom = new IllegalStateException("report store down");

        assertThatThrownBy(() -> queue.complete(job.id(), lease.fencingToken(), LEASE, () -> {
            throw boom;
        })).isSameAs(boom);

        assertThat(queue.find(job.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        assertThat(queue.complete(job.id(), lease.fencingToken(), LEASE, () -> { })).isTrue();
    }

    @Test
    void aCancelBeforeTheFencedCompletionRunsNoWorkAndOneAfterItChangesNothing() {
        Job cancelledFirst = enqueue("a", JobPriority.NORMAL);
        Lease lease = claimOne("w");
        List<String> writes = new ArrayList<>();
        assertThat(queue.cancel(cancelledFirst.id())).isTrue();
        assertThat(queue.complete(cancelledFirst.id(), lease.fencingToken(), LEASE, () -> writes.add("x"))).isFalse();
        assertThat(writes).isEmpty();

        Job completedFirst = enqueue("b", JobPriority.NORMAL);
        Lease second = claimOne("w");
        assertThat(queue.complete(completedFirst.id(), second.fencingToken(), LEASE, () -> writes.add("b"))).isTrue();
        assertThat(queue.cancel(completedFirst.id())).isFalse();
        assertThat(queue.find(completedFirst.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(writes).containsExactly("b");
    }

    @Test
    void fencedHeartbeatRunsTheWorkAndExtendsTheLease() {
        Job job = enqueue("a", JobPriority.NORMAL);
        Lease lease = claimOne("w");
        clock.advance(LEASE.minusSeconds(1));
        List<String> writes = new ArrayList<>();

        assertThat(queue.heartbeat(job.id(), lease.fencingToken(), LEASE, () -> writes.add("checkpoint"))).isTrue();
        clock.advance(LEASE.minusSeconds(1));

        assertThat(writes).containsExactly("checkpoint");
        assertThat(claim("w2", 1)).isEmpty();
        assertThat(queue.complete(job.id(), lease.fencingToken())).isTrue();
    }

    @Test
    void aStaleWorkersCheckpointNeverOverwritesTheNewOwners() {
        CheckpointStore checkpoints = joiningCheckpointStore();
        Assumptions.assumeTrue(checkpoints != null, "the backend has no store that joins the queue's steps");
        Job job = enqueue("a", JobPriority.NORMAL);
        Lease stale = claimOne("paused");
        clock.advance(LEASE);
        Lease current = claimOne("w2");
        Checkpoint mine = checkpointOf(job.id(), "Analyzing", clock.instant());
        assertThat(queue.heartbeat(job.id(), current.fencingToken(), LEASE, () -> checkpoints.save(mine))).isTrue();

        Checkpoint old = checkpointOf(job.id(), "Indexing", clock.instant());
        assertThat(queue.heartbeat(job.id(), stale.fencingToken(), LEASE, () -> checkpoints.save(old))).isFalse();

        assertThat(checkpoints.find(job.id())).get().extracting(Checkpoint::phase).isEqualTo("Analyzing");
    }

    @Test
    void theWritesOfAFencedStepThatFailsAreUndone() {
        CheckpointStore checkpoints = joiningCheckpointStore();
        Assumptions.assumeTrue(checkpoints != null && undoesTheWritesOfAFailedStep(),
                "the backend does not undo the writes of a failed step");
        Job job = enqueue("a", JobPriority.NORMAL);
        Lease lease = claimOne("w");

        assertThatThrownBy(() -> queue.complete(job.id(), lease.fencingToken(), LEASE, () -> {
            checkpoints.save(checkpointOf(job.id(), "Saving", clock.instant()));
            throw new IllegalStateException("after the write");
        })).hasMessage("after the write");

        assertThat(checkpoints.find(job.id())).isEmpty();
        assertThat(queue.find(job.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void aCancelWaitsForAFencedCompletionInProgress() throws Exception {
        Job job = enqueue("a", JobPriority.NORMAL);
        Lease lease = claimOne("w");
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> completion = pool.submit(() -> queue.complete(job.id(), lease.fencingToken(), LEASE, () -> {
                inside.countDown();
                await(proceed);
            }));
            assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
            Future<Boolean> cancel = pool.submit(() -> queue.cancel(job.id()));
            proceed.countDown();

            assertThat(completion.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(cancel.get(30, TimeUnit.SECONDS)).isFalse();
            assertThat(queue.find(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        } finally {
            proceed.countDown();
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the latch");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
