package dev.aar.jdbc;

import dev.aar.queue.CheckpointStore;
import dev.aar.queue.CheckpointStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/** The checkpoint-store contract kit on both databases. */
class JdbcCheckpointStoreTest {

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Cases extends CheckpointStoreContract {
        final KitDatabase db;

        Cases(KitDatabase db) {
            this.db = db;
        }

        @Override
        protected CheckpointStore createStore() {
            return db.fresh().checkpointStore();
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
