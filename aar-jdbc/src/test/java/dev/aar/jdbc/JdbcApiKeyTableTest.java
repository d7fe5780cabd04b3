package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The {@code api_keys} table on both databases. */
class JdbcApiKeyTableTest {

    private static final Instant T0 = Instant.parse("2026-10-01T10:00:00Z");

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Cases {
        final KitDatabase db;
        ApiKeyTable keys;

        Cases(KitDatabase db) {
            this.db = db;
        }

        @BeforeEach
        void fresh() {
            keys = db.fresh().apiKeyTable();
        }

        @AfterAll
        void drop() throws Exception {
            db.close();
        }

        static ApiKeyTable.Row row(String name, Set<String> rights, Instant created) {
            return new ApiKeyTable.Row(UUID.randomUUID().toString(), "org-a", name, UUID.randomUUID().toString()
                    .replace("-", "") + "00000000000000000000000000000000", rights, created, null, null);
        }

        @Test
        void insertedKeysAreListedOldestFirstAndFoundByHash() {
            ApiKeyTable.Row first = row("first", Set.of("approve"), T0);
            ApiKeyTable.Row second = row("ci", Set.of(), T0.plusSeconds(5));
            keys.insert(second);
            keys.insert(first);
            assertThat(keys.list()).containsExactly(first, second);
            assertThat(keys.findBySha256(first.sha256())).contains(first);
            assertThat(keys.findBySha256("0".repeat(64))).isEmpty();
        }

        @Test
        void aHashIsUnique() {
            ApiKeyTable.Row a = row("a", Set.of(), T0);
            keys.insert(a);
            ApiKeyTable.Row clash = new ApiKeyTable.Row("other", "org-b", "b", a.sha256(), Set.of(), T0, null, null);
            assertThatThrownBy(() -> keys.insert(clash)).isInstanceOf(UncheckedIOException.class);
        }

        @Test
        void insertIfEmptyAddsOnlyTheFirstKey() {
            assertThat(keys.insertIfEmpty(row("first", Set.of("approve"), T0))).isTrue();
            assertThat(keys.insertIfEmpty(row("second", Set.of("approve"), T0))).isFalse();
            assertThat(keys.list()).extracting(ApiKeyTable.Row::name).containsExactly("first");
        }

        @Test
        void revokeKeepsTheEarliestTimeAndTellsWhetherTheKeyExists() {
            ApiKeyTable.Row a = row("a", Set.of(), T0);
            keys.insert(a);
            assertThat(keys.revoke(a.id(), T0.plusSeconds(60))).isTrue();
            assertThat(keys.revoke(a.id(), T0.plusSeconds(10))).isTrue();
            assertThat(keys.revoke(a.id(), T0.plusSeconds(90))).isTrue();
            assertThat(keys.findBySha256(a.sha256()).orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(10));
            assertThat(keys.revoke("nope", T0)).isFalse();
        }

        @Test
        void rotateAddsTheNewKeyAndRevokesTheOldOneTogether() {
            ApiKeyTable.Row old = row("old", Set.of("approve"), T0);
            keys.insert(old);
            ApiKeyTable.Row next = row("old", Set.of("approve"), T0.plusSeconds(1));
            assertThat(keys.rotate(next, old.id(), T0.plusSeconds(3600))).isTrue();
            assertThat(keys.findBySha256(old.sha256()).orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(3600));
            assertThat(keys.findBySha256(next.sha256())).contains(next);

            ApiKeyTable.Row orphan = row("x", Set.of(), T0);
            assertThat(keys.rotate(orphan, "unknown", T0)).isFalse();
            assertThat(keys.findBySha256(orphan.sha256())).as("nothing added for an unknown key").isEmpty();
        }

        @Test
        void touchOnlyMovesLastUsedForward() {
            ApiKeyTable.Row a = row("a", Set.of(), T0);
            keys.insert(a);
            keys.touch(a.id(), T0.plusSeconds(100));
            keys.touch(a.id(), T0.plusSeconds(50));
            assertThat(keys.findBySha256(a.sha256()).orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(100));
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
