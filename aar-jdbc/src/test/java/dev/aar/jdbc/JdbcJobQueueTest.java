package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.queue.Job;
import dev.aar.queue.JobError;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobRequest;
import dev.aar.queue.JobState;
import dev.aar.queue.Lease;
import dev.aar.queue.QueueStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JdbcJobQueueTest {

    static final Duration LEASE = Duration.ofMinutes(5);

    abstract static class Cases extends DatabaseTest {

        JobQueue queue() {
            return backend.jobQueue();
        }

        Job enqueue(String payload, JobPriority priority) {
            return queue().enqueue(JobRequest.of("analysis", payload, priority));
        }

        Lease claimOne(String worker) {
            List<Lease> leases = queue().claim(worker, 1, LEASE, JobPriority.LOW);
            assertThat(leases).hasSize(1);
            return leases.get(0);
        }

        @Test
        void claimsHighestPriorityFirstThenInEnqueueOrder() {
            enqueue("low", JobPriority.LOW);
            enqueue("normal-1", JobPriority.NORMAL);
            enqueue("critical", JobPriority.CRITICAL);
            enqueue("normal-2", JobPriority.NORMAL);
            enqueue("high", JobPriority.HIGH);

            List<Lease> leases = queue().claim("w1", 10, LEASE, JobPriority.LOW);

            assertThat(leases).extracting(l -> l.job().payload())
                    .containsExactly("critical", "high", "normal-1", "normal-2", "low");
            assertThat(leases).allSatisfy(l -> {
                assertThat(l.job().state()).isEqualTo(JobState.RUNNING);
                assertThat(l.job().attempts()).isEqualTo(1);
                assertThat(l.workerId()).isEqualTo("w1");
                assertThat(l.expiresAt()).isEqualTo(T0.plus(LEASE));
            });
            assertThat(queue().claim("w1", 10, LEASE, JobPriority.LOW)).isEmpty();
        }

        @Test
        void claimHonoursMaxAndMinimumPriority() {
            enqueue("low", JobPriority.LOW);
            enqueue("high-1", JobPriority.HIGH);
            enqueue("high-2", JobPriority.HIGH);

            assertThat(queue().claim("w1", 1, LEASE, JobPriority.HIGH)).extracting(l -> l.job().payload())
                    .containsExactly("high-1");
            assertThat(queue().claim("w1", 5, LEASE, JobPriority.NORMAL)).extracting(l -> l.job().payload())
                    .containsExactly("high-2");
        }

        @Test
        void anIdempotencyKeyReturnsTheFirstJob() {
            Job first = queue().enqueue(JobRequest.of("analysis", "{\"a\":1}", JobPriority.NORMAL).withIdempotencyKey("k1"));
            Job again = queue().enqueue(JobRequest.of("analysis", "{\"a\":2}", JobPriority.HIGH).withIdempotencyKey("k1"));
            List<Job> batch = queue().enqueueAll(List.of(
                    JobRequest.of("analysis", "x", JobPriority.LOW).withIdempotencyKey("k2"),
                    JobRequest.of("analysis", "y", JobPriority.LOW).withIdempotencyKey("k1")));

            assertThat(again).isEqualTo(first);
            assertThat(again.payload()).isEqualTo("{\"a\":1}");
            assertThat(batch.get(1).id()).isEqualTo(first.id());
            assertThat(batch.get(0).idempotencyKey()).isEqualTo("k2");
            assertThat(queue().stats().queued()).isEqualTo(2);
        }

        @Test
        void enqueueAllKeepsRequestOrderAndFoldsDuplicateKeysWithinTheBatch() {
            List<Job> jobs = queue().enqueueAll(List.of(
                    JobRequest.of("analysis", "a", JobPriority.LOW),
                    JobRequest.of("analysis", "b", JobPriority.LOW).withIdempotencyKey("k3"),
                    JobRequest.of("analysis", "c", JobPriority.LOW),
                    JobRequest.of("analysis", "d", JobPriority.LOW).withIdempotencyKey("k3")));

            assertThat(jobs).extracting(Job::payload).containsExactly("a", "b", "c", "b");
            assertThat(jobs.get(3).id()).isEqualTo(jobs.get(1).id());
            assertThat(queue().claim("w1", 10, LEASE, JobPriority.LOW)).extracting(l -> l.job().payload())
                    .containsExactly("a", "b", "c");
        }

        @Test
        void aJobIsNotClaimedBeforeItsRunAt() {
            queue().enqueue(JobRequest.of("analysis", "later", JobPriority.CRITICAL).withRunAt(T0.plusSeconds(60)));
            enqueue("now", JobPriority.LOW);

            assertThat(queue().claim("w1", 10, LEASE, JobPriority.LOW)).extracting(l -> l.job().payload())
                    .containsExactly("now");
            clock.advance(Duration.ofSeconds(60));
            assertThat(queue().claim("w1", 10, LEASE, JobPriority.LOW)).extracting(l -> l.job().payload())
                    .containsExactly("later");
        }

        @Test
        void aLapsedLeaseIsClaimableAgainAndTheOldTokenIsRefused() {
            Job job = enqueue("work", JobPriority.NORMAL);
            Lease first = claimOne("w1");
            assertThat(queue().claim("w2", 1, LEASE, JobPriority.LOW)).isEmpty();

            clock.advance(LEASE);
            Lease second = claimOne("w2");

            assertThat(second.jobId()).isEqualTo(job.id());
            assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
            assertThat(second.job().attempts()).isEqualTo(2);
            assertThat(queue().heartbeat(job.id(), first.fencingToken(), LEASE)).isFalse();
            assertThat(queue().complete(job.id(), first.fencingToken())).isFalse();
            assertThat(queue().fail(job.id(), first.fencingToken(), "late", null)).isFalse();
            assertThat(queue().release(job.id(), first.fencingToken())).isFalse();
            assertThat(queue().complete(job.id(), second.fencingToken())).isTrue();
            assertThat(queue().find(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(queue().complete(job.id(), second.fencingToken())).isFalse();
        }

        @Test
        void aHeartbeatKeepsTheLease() {
            enqueue("work", JobPriority.NORMAL);
            Lease lease = claimOne("w1");

            clock.advance(Duration.ofMinutes(4));
            assertThat(queue().heartbeat(lease.jobId(), lease.fencingToken(), LEASE)).isTrue();
            clock.advance(Duration.ofMinutes(4));

            assertThat(queue().claim("w2", 1, LEASE, JobPriority.LOW)).isEmpty();
        }

        @Test
        void aFailureWithRetryRequeuesForLaterAndKeepsTheError() {
            Job job = enqueue("work", JobPriority.NORMAL);
            Lease lease = claimOne("w1");

            assertThat(queue().fail(job.id(), lease.fencingToken(), "boom", T0.plusSeconds(30))).isTrue();
            assertThat(queue().claim("w1", 1, LEASE, JobPriority.LOW)).isEmpty();
            clock.advance(Duration.ofSeconds(30));
            Lease retry = claimOne("w1");

            assertThat(retry.job().attempts()).isEqualTo(2);
            assertThat(retry.job().errors()).containsExactly(new JobError(1, T0, "boom"));
        }

        @Test
        void aFailureWithoutRetryDeadLettersWithHistoryAndRedriveRequeues() {
            Job job = enqueue("work", JobPriority.HIGH);
            queue().fail(job.id(), claimOne("w1").fencingToken(), "first", T0);
            clock.advance(Duration.ofSeconds(1));
            queue().fail(job.id(), claimOne("w1").fencingToken(), "second", null);

            List<Job> dead = queue().deadLetters(10);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).state()).isEqualTo(JobState.DEAD_LETTERED);
            assertThat(dead.get(0).errors()).extracting(JobError::attempt, JobError::message)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "first"),
                            org.assertj.core.groups.Tuple.tuple(2, "second"));
            assertThat(queue().stats().deadLettered()).isEqualTo(1);

            assertThat(queue().redrive(job.id())).isTrue();
            assertThat(queue().redrive(job.id())).isFalse();
            Lease again = claimOne("w2");
            assertThat(again.job().attempts()).isEqualTo(1);
            assertThat(again.job().priority()).isEqualTo(JobPriority.HIGH);
            assertThat(queue().deadLetters(10)).isEmpty();
        }

        @Test
        void redriveAllMovesEveryDeadLetterBack() {
            for (int i = 0; i < 3; i++) {
                Job j = enqueue("j" + i, JobPriority.NORMAL);
                queue().fail(j.id(), claimOne("w1").fencingToken(), "no", null);
            }

            assertThat(queue().redriveAll()).isEqualTo(3);
            assertThat(queue().stats().queued()).isEqualTo(3);
            assertThat(queue().redriveAll()).isZero();
        }

        @Test
        void releaseGivesTheJobBackWithoutCountingTheAttempt() {
            Job job = enqueue("work", JobPriority.NORMAL);
            Lease lease = claimOne("w1");

            assertThat(queue().release(job.id(), lease.fencingToken())).isTrue();
            Lease next = claimOne("w2");

            assertThat(next.job().attempts()).isEqualTo(1);
            assertThat(queue().complete(job.id(), lease.fencingToken())).isFalse();
        }

        @Test
        void cancelStopsAQueuedJobAndRefusesARunningJobsCompletion() {
            Job queued = enqueue("queued", JobPriority.LOW);
            Job running = enqueue("running", JobPriority.HIGH);
            Lease lease = claimOne("w1");
            assertThat(lease.jobId()).isEqualTo(running.id());

            assertThat(queue().cancel(queued.id())).isTrue();
            assertThat(queue().cancel(running.id())).isTrue();
            assertThat(queue().cancel(running.id())).isFalse();
            assertThat(queue().cancel("12345678")).isFalse();
            assertThat(queue().complete(running.id(), lease.fencingToken())).isFalse();
            assertThat(queue().find(running.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
            assertThat(queue().claim("w1", 10, LEASE, JobPriority.LOW)).isEmpty();
        }

        @Test
        void statsCountQueuedPerPriorityInFlightAndDead() {
            enqueue("a", JobPriority.LOW);
            enqueue("b", JobPriority.LOW);
            enqueue("c", JobPriority.CRITICAL);
            queue().enqueue(JobRequest.of("analysis", "later", JobPriority.HIGH).withRunAt(T0.plusSeconds(99)));
            Lease lease = claimOne("w1"); // c
            Job d = enqueue("d", JobPriority.NORMAL);
            queue().fail(d.id(), claimOne("w1").fencingToken(), "x", null);

            QueueStats stats = queue().stats();

            assertThat(lease.job().payload()).isEqualTo("c");
            assertThat(stats.queuedByPriority()).containsEntry(JobPriority.LOW, 2L).containsEntry(JobPriority.HIGH, 1L)
                    .containsEntry(JobPriority.CRITICAL, 0L);
            assertThat(stats.inFlight()).isEqualTo(1);
            assertThat(stats.deadLettered()).isEqualTo(1);
        }

        @Test
        void findReturnsEmptyForUnknownIds() {
            assertThat(queue().find("999999")).isEmpty();
            assertThat(queue().find("not-a-number")).isEmpty();
        }

        @Test
        void concurrentClaimersNeverGetTheSameJob() throws Exception {
            int jobs = 300;
            List<JobRequest> requests = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                requests.add(JobRequest.of("analysis", "j" + i, JobPriority.values()[i % 4]));
            }
            queue().enqueueAll(requests);
            int threads = 12;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            Set<String> claimed = ConcurrentHashMap.newKeySet();
            AtomicInteger duplicates = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String worker = "w" + t;
                    done.add(pool.submit(() -> {
                        start.await();
                        List<Lease> got;
                        while (!(got = queue().claim(worker, 7, LEASE, JobPriority.LOW)).isEmpty()) {
                            for (Lease l : got) {
                                if (!claimed.add(l.jobId())) {
                                    duplicates.incrementAndGet();
                                }
                                assertThat(queue().complete(l.jobId(), l.fencingToken())).isTrue();
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                pool.awaitTermination(10, TimeUnit.SECONDS);
            }
            assertThat(duplicates).hasValue(0);
            assertThat(claimed).hasSize(jobs);
            assertThat(queue().stats().queued()).isZero();
        }
    }

    @Nested
    class OnSqlite extends Cases {
        @Override
        TestDatabase createDatabase() {
            return TestDatabase.sqlite();
        }
    }

    @Nested
    class OnPostgres extends Cases {
        @Override
        TestDatabase createDatabase() {
            return TestDatabase.postgres();
        }
    }
}
