package dev.aar.jdbc;

import dev.aar.core.quota.QuotaStore;
import dev.aar.core.quota.QuotaStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/** The quota-store contract kit (including 50 concurrent reservations for room for 10) on both databases. */
class JdbcQuotaStoreTest {

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Cases extends QuotaStoreContract {
        final KitDatabase db;

        Cases(KitDatabase db) {
            this.db = db;
        }

        @Override
        protected QuotaStore newStore() {
            return db.fresh().quotaStore();
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
