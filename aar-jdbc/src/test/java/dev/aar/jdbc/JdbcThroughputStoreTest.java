package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.preflight.JobThroughput;
import dev.aar.core.preflight.ThroughputStore;
import dev.aar.core.preflight.ThroughputStoreContract;
import dev.aar.jdbc.internal.JdbcThroughputStore;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The throughput-store contract kit on both databases, and the table's bound. */
class JdbcThroughputStoreTest {

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Cases extends ThroughputStoreContract {
        final KitDatabase db;

        Cases(KitDatabase db) {
            this.db = db;
        }

        @Override
        protected ThroughputStore newStore() {
            return db.fresh().throughputStore();
        }

        @Test
        void keepsTheNewestRowsOnly() {
            ThroughputStore store = newStore();
            for (int i = 0; i < JdbcThroughputStore.KEEP + 5; i++) {
                store.record(new JobThroughput("j" + i, Instant.ofEpochSecond(i), "m", 1, 1, 1, 1, 1, 1, 1, 0, 0));
            }
            assertThat(store.recent(JdbcThroughputStore.KEEP + 100)).hasSize(JdbcThroughputStore.KEEP)
                    .last().extracting(JobThroughput::jobId).isEqualTo("j5");
        }

        @AfterAll
        void drop() throws Exception {
            db.close();
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
