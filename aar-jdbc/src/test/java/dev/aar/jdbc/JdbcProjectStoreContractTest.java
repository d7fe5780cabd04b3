package dev.aar.jdbc;

import dev.aar.core.project.ProjectStore;
import dev.aar.core.project.ProjectStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/** The project-store contract kit on both databases. */
class JdbcProjectStoreContractTest {

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Cases extends ProjectStoreContract {
        final KitDatabase db;

        Cases(KitDatabase db) {
            this.db = db;
        }

        @Override
        protected ProjectStore createStore() {
            return db.fresh().projectStore();
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
