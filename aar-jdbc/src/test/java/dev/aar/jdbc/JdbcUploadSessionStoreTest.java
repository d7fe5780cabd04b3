package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.storage.UploadPart;
import dev.aar.storage.UploadSession;
import dev.aar.storage.UploadSessionStore;
import dev.aar.storage.UploadStatus;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JdbcUploadSessionStoreTest {

    abstract static class Cases extends DatabaseTest {

        UploadSessionStore store() {
            return backend.uploadSessionStore();
        }

        static UploadSession session(String id, UploadStatus status, long expiresInSeconds) {
            return new UploadSession(id, "key-1", "big.zip", 25, 10, 3, "ab".repeat(32), "uploads/" + id, status,
                    T0.plusSeconds(expiresInSeconds), T0);
        }

        @Test
        void createThenFindReturnsEveryField() {
            UploadSession s = session("s1", UploadStatus.ACTIVE, 3600);
            store().create(s);

            assertThat(store().find("s1")).contains(s);
            assertThat(store().find("missing")).isEmpty();
        }

        @Test
        void createRefusesATakenId() {
            store().create(session("s1", UploadStatus.ACTIVE, 3600));

            assertThatThrownBy(() -> store().create(session("s1", UploadStatus.ACTIVE, 60)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("s1");
        }

        @Test
        void transitionIsACompareAndSet() {
            store().create(session("s1", UploadStatus.ACTIVE, 3600));

            assertThat(store().transition("s1", UploadStatus.ACTIVE, UploadStatus.FINALIZING)).isTrue();
            assertThat(store().transition("s1", UploadStatus.ACTIVE, UploadStatus.CANCELLED)).isFalse();
            assertThat(store().transition("missing", UploadStatus.ACTIVE, UploadStatus.CANCELLED)).isFalse();
            assertThat(store().find("s1").orElseThrow().status()).isEqualTo(UploadStatus.FINALIZING);
        }

        @Test
        void partsAreReplacedByNumberSortedAndCounted() {
            store().create(session("s1", UploadStatus.ACTIVE, 3600));
            store().putPart("s1", new UploadPart(3, 5, "c".repeat(64), T0));
            store().putPart("s1", new UploadPart(1, 10, "a".repeat(64), T0));
            store().putPart("s1", new UploadPart(1, 10, "b".repeat(64), T0.plusSeconds(5)));

            assertThat(store().parts("s1")).containsExactly(
                    new UploadPart(1, 10, "b".repeat(64), T0.plusSeconds(5)),
                    new UploadPart(3, 5, "c".repeat(64), T0));
            int completed = Jdbi.create(db.url()).withHandle(h -> h.createQuery(
                    "SELECT completed_parts FROM upload_sessions WHERE id = 's1'").mapTo(Integer.class).one());
            assertThat(completed).isEqualTo(2);
        }

        @Test
        void aPartOfAnUnknownSessionIsRefused() {
            assertThatThrownBy(() -> store().putPart("missing", new UploadPart(1, 1, "a".repeat(64), T0)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing");
        }

        @Test
        void findExpiredReturnsOnlyOpenSessionsPastTheirExpiry() {
            store().create(session("old-active", UploadStatus.ACTIVE, 10));
            store().create(session("old-finalizing", UploadStatus.FINALIZING, 20));
            store().create(session("old-done", UploadStatus.COMPLETED, 10));
            store().create(session("fresh", UploadStatus.ACTIVE, 3600));

            assertThat(store().findExpired(T0.plusSeconds(20))).extracting(UploadSession::id)
                    .containsExactly("old-active", "old-finalizing");
        }

        @Test
        void deleteForgetsTheSessionAndItsParts() {
            store().create(session("s1", UploadStatus.ACTIVE, 3600));
            store().putPart("s1", new UploadPart(1, 10, "a".repeat(64), T0));

            assertThat(store().delete("s1")).isTrue();
            assertThat(store().delete("s1")).isFalse();
            assertThat(store().find("s1")).isEmpty();
            assertThat(store().parts("s1")).isEmpty();
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
