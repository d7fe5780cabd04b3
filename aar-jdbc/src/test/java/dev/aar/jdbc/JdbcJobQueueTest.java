package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.queue.Job;
import dev.aar.queue.JobError;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobQueueContract;
import dev.aar.queue.JobRequest;
import dev.aar.queue.Lease;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The job-queue contract kit on both databases, plus the SQL queue's batching and lapse history. */
class JdbcJobQueueTest {

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Cases extends JobQueueContract {
        final KitDatabase db;

        Cases(KitDatabase db) {
            this.db = db;
        }

        @Override
        protected JobQueue createQueue(Clock clock) {
            return db.fresh().openJobQueue(clock);
        }

        @AfterAll
        void drop() throws Exception {
            db.close();
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
