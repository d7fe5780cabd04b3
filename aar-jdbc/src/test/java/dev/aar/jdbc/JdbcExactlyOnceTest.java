package dev.aar.jdbc;

import dev.aar.core.Aar;
import dev.aar.core.pipeline.ExactlyOnceContract;
import dev.aar.queue.JobQueue;
import java.time.Clock;
import org.junit.jupiter.api.Nested;

/**
 * The exactly-once kit on both databases: the report, the quota settlement and the completion are
 * one transaction, so a worker frozen past its lease writes nothing when it wakes.
 */
class JdbcExactlyOnceTest {

    abstract static class Cases extends ExactlyOnceContract {
        private TestDatabase db;
        private JdbcBackend backend;

        abstract TestDatabase createDatabase();

        @Override
        protected void openBackend(Clock clock) {
            db = createDatabase();
            backend = db.open(clock);
        }

        @Override
        protected JobQueue queue() {
            return backend.jobQueue();
        }

        @Override
        protected Aar.Builder applyStores(Aar.Builder builder) {
            return backend.applyTo(builder);
        }

        @Override
        protected void closeBackend() throws Exception {
            backend.close();
            db.close();
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
