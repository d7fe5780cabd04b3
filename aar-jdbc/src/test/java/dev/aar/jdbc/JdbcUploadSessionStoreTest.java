package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.storage.UploadPart;
import dev.aar.storage.UploadSession;
import dev.aar.storage.UploadSessionStore;
import dev.aar.storage.UploadSessionStoreContract;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The upload-session contract kit on both databases, plus what only the tables show. */
class JdbcUploadSessionStoreTest {

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Cases extends UploadSessionStoreContract {
        final KitDatabase db;
        private JdbcBackend backend;

        Cases(KitDatabase db) {
            this.db = db;
        }

        @Override
        protected UploadSessionStore createStore() {
            backend = db.fresh();
            return backend.uploadSessionStore();
        }

        @AfterAll
        void drop() throws Exception {
            db.close();
        }

        @Test
        void completedPartsIsKeptEqualToThePartRows() {
            UploadSession s = session("owner", NOW.plusSeconds(60));
            store.create(s);
            store.putPart(s.id(), part(3, "c"));
            store.putPart(s.id(), part(1, "a"));
            store.putPart(s.id(), part(1, "b"));

            int completed = Jdbi.create(backend.dataSource()).withHandle(h -> h.createQuery(
                    "SELECT completed_parts FROM upload_sessions WHERE id = :id").bind("id", s.id())
                    .mapTo(Integer.class).one());
            assertThat(completed).isEqualTo(2);
        }

        @Test
        void aTakenIdOrAnUnknownSessionIsNamedInTheError() {
            UploadSession s = session("owner", NOW.plusSeconds(60));
            store.create(s);

            assertThatThrownBy(() -> store.create(s)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(s.id());
            assertThatThrownBy(() -> store.putPart("missing", new UploadPart(1, 1, "a".repeat(64), NOW)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing");
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
