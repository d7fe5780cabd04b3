package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.quota.QuotaStore;
import dev.aar.core.quota.QuotaUsage;
import dev.aar.core.report.Report;
import dev.aar.queue.Checkpoint;
import dev.aar.queue.CheckpointStore;
import dev.aar.queue.Job;
import dev.aar.queue.JobError;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobQueueContract;
import dev.aar.queue.JobRequest;
import dev.aar.queue.Lease;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The job-queue contract kit on both databases, plus the SQL queue's batching, lapse history and purge. */
class JdbcJobQueueTest {

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Cases extends JobQueueContract {
        final KitDatabase db;
        JdbcBackend backend;

        Cases(KitDatabase db) {
            this.db = db;
        }

        @Override
        protected JobQueue createQueue(Clock clock) {
            backend = db.fresh();
            return backend.openJobQueue(clock);
        }

        /** The backend's own checkpoint store shares the queue's Jdbi, so its writes join the transaction. */
        @Override
        protected CheckpointStore joiningCheckpointStore() {
            return backend.checkpointStore();
        }

        @Override
        protected boolean undoesTheWritesOfAFailedStep() {
            return true;
        }

        int count(String sql) {
            return backend.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
        }

        void saveCheckpoint(String jobId) {
            Instant now = clock.instant();
            backend.checkpointStore().save(new Checkpoint(jobId, "p1", "Indexing", null, 1, 2, "{}", now, now));
        }

        @AfterAll
        void drop() throws Exception {
            db.close();
        }

        @Test
        void aFailedCompletionRollsBackTheReportAndTheQuotaWrittenInIt() {
            QuotaStore quotas = backend.quotaStore();
            quotas.setLimits("org", 1_000, 10, 1_000, clock.instant());
            Job job = enqueue("a", JobPriority.NORMAL);
            Lease lease = claimOne("w");
            Report report = Report.builder("report-1", "p1", job.id()).createdAt(clock.instant()).build();

            assertThatThrownBy(() -> queue.complete(job.id(), lease.fencingToken(), LEASE, () -> {
                backend.reportStore().save(report);
                quotas.tryAdd("org", new QuotaUsage(100, 1, 0), clock.instant(), clock.instant());
                throw new IllegalStateException("after the writes");
            })).hasMessage("after the writes");

            assertThat(backend.reportStore().find("report-1")).isEmpty();
            assertThat(quotas.find("org").orElseThrow().monthlyTokensUsed()).isZero();
            assertThat(queue.complete(job.id(), lease.fencingToken(), LEASE, () -> {
                backend.reportStore().save(report);
                quotas.tryAdd("org", new QuotaUsage(100, 1, 0), clock.instant(), clock.instant());
            })).isTrue();
            assertThat(backend.reportStore().find("report-1")).isPresent();
            assertThat(quotas.find("org").orElseThrow().monthlyTokensUsed()).isEqualTo(100);
        }

        @Test
        void enqueueAllAndCompleteAllSpanSeveralStatements() {
            List<JobRequest> requests = new ArrayList<>();
            for (int i = 0; i < 1_200; i++) {
                // key k0 again at the end: the repeat is in a later INSERT than the original
                requests.add(JobRequest.of("t", "j" + i, JobPriority.NORMAL).withIdempotencyKey("k" + (i % 1_199)));
            }

            List<Job> jobs = queue.enqueueAll(requests);

            assertThat(jobs).hasSize(1_200);
            assertThat(jobs.get(1_199).id()).isEqualTo(jobs.get(0).id());
            assertThat(queue.stats().queued()).isEqualTo(1_199);
            List<Lease> leases = claim("w", 1_199);
            assertThat(leases).extracting(l -> l.job().payload()).first().isEqualTo("j0");
            assertThat(queue.completeAll(leases)).hasSize(1_199);
            assertThat(queue.stats().inFlight()).isZero();
        }

        @Test
        void aLapsedLeaseIsRecordedInTheErrorHistoryWhenTheJobIsTakenAgain() {
            Job job = enqueue("a", JobPriority.NORMAL);
            claimOne("dead-worker");
            clock.advance(LEASE);

            assertThat(queue.stats().queued()).isEqualTo(1);
            assertThat(queue.stats().inFlight()).isZero();
            Lease again = claimOne("w2");

            assertThat(again.jobId()).isEqualTo(job.id());
            assertThat(again.job().errors()).singleElement().satisfies(e -> {
                assertThat(e.attempt()).isEqualTo(1);
                assertThat(e.at()).isEqualTo(clock.instant());
                assertThat(e.message()).contains("dead-worker").contains("expired");
            });
            queue.fail(again.jobId(), again.fencingToken(), "then it failed", null);
            assertThat(queue.find(job.id()).orElseThrow().errors()).extracting(JobError::attempt).containsExactly(1, 2);
        }

        @Test
        void purgeDeletesTheErrorHistoryAndCheckpointOfEveryPurgedJobAndNothingElse() {
            enqueue("succeeded-after-a-retry", JobPriority.NORMAL);
            Lease first = claimOne("w");
            queue.fail(first.jobId(), first.fencingToken(), "retry me", clock.instant());
            Lease second = claimOne("w");
            queue.complete(second.jobId(), second.fencingToken());
            enqueue("dead", JobPriority.NORMAL);
            Lease dead = claimOne("w");
            queue.fail(dead.jobId(), dead.fencingToken(), "gave up", null);
            enqueue("retrying", JobPriority.NORMAL);
            Lease retrying = claimOne("w");
            queue.fail(retrying.jobId(), retrying.fencingToken(), "later", clock.instant().plusSeconds(3_600));
            for (String id : List.of(first.jobId(), dead.jobId(), retrying.jobId())) {
                saveCheckpoint(id);
            }
            clock.advanceSeconds(60);

            assertThat(queue.purgeFinished(clock.instant(), false)).isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM job_errors WHERE job_id = " + first.jobId())).isZero();
            assertThat(backend.checkpointStore().find(first.jobId())).isEmpty();
            assertThat(count("SELECT COUNT(*) FROM job_errors")).isEqualTo(2);
            assertThat(backend.checkpointStore().find(dead.jobId())).isPresent();

            assertThat(queue.purgeFinished(clock.instant(), true)).isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM job_errors")).isEqualTo(1);
            assertThat(backend.checkpointStore().find(dead.jobId())).isEmpty();
            assertThat(queue.find(retrying.jobId()).orElseThrow().errors()).extracting(JobError::message)
                    .containsExactly("later");
            assertThat(backend.checkpointStore().find(retrying.jobId())).isPresent();
        }

        @Test
        void purgeOfAnExactMultipleOfTheBatchSizeCountsEveryRowOnce() {
            // 2,000 rows = two full batches of 1,000 and an empty third one; written with SQL, not the queue, for speed
            backend.jdbi().useHandle(h -> {
                h.execute("""
                        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                        INSERT INTO jobs (type, payload, priority, state, run_at, created_at, updated_at)
                        SELECT 't', '{}', 1, CASE WHEN i % 2 = 0 THEN 'SUCCEEDED' ELSE 'CANCELLED' END, 1, 1, 1000 + i
                        FROM n""");
                h.execute("INSERT INTO job_errors (job_id, attempt, at, message) SELECT id, 1, 1, 'x' FROM jobs");
            });
            enqueue("queued", JobPriority.LOW);

            assertThat(queue.purgeFinished(Instant.ofEpochMilli(3_001), false)).isEqualTo(2_000);

            assertThat(count("SELECT COUNT(*) FROM jobs")).isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM job_errors")).isZero();
            assertThat(queue.stats().queued()).isEqualTo(1);
        }

        @Test
        void concurrentPurgesDeleteEachJobOnceAndTogetherCountEveryJob() throws Exception {
            List<JobRequest> requests = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                requests.add(JobRequest.of("t", "j" + i, JobPriority.NORMAL));
            }
            queue.enqueueAll(requests);
            assertThat(queue.completeAll(claim("w", 3_000))).hasSize(3_000);
            clock.advanceSeconds(1);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try (JobQueue other = backend.openJobQueue(clock); JobQueue third = backend.openJobQueue(clock)) {
                List<Future<Integer>> purges = new ArrayList<>();
                for (JobQueue q : List.of(queue, other, third)) {
                    purges.add(pool.submit(() -> q.purgeFinished(clock.instant(), true)));
                }
                int total = 0;
                for (Future<Integer> purge : purges) {
                    total += purge.get(60, TimeUnit.SECONDS);
                }
                assertThat(total).isEqualTo(3_000);
                assertThat(count("SELECT COUNT(*) FROM jobs")).isZero();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    class OnSqlite extends Cases {
        OnSqlite() {
            super(new KitDatabase(TestDatabase::sqlite));
        }
    }

    @Nested
    class OnPostgres extends Cases {
        OnPostgres() {
            super(new KitDatabase(TestDatabase::postgres));
        }
    }
}
