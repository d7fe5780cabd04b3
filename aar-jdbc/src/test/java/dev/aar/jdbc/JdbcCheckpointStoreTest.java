package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.queue.Checkpoint;
import dev.aar.queue.CheckpointStore;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JdbcCheckpointStoreTest {

    abstract static class Cases extends DatabaseTest {

        CheckpointStore store() {
            return backend.checkpointStore();
        }

        @Test
        void saveThenFindReturnsEveryField() {
            Checkpoint c = new Checkpoint("job-1", "p1", "Indexing", "src/A.java", 100, 250, "{\"cursor\":3}", T0, T0);
            store().save(c);

            assertThat(store().find("job-1")).contains(c);
            assertThat(store().find("job-2")).isEmpty();
        }

        @Test
        void aLaterSaveReplacesEverythingButTheFirstCreatedAt() {
            store().save(new Checkpoint("job-1", "p1", "Indexing", "a", 100, 250, "{}", T0, T0));
            store().save(new Checkpoint("job-1", "p1", "Analyzing", null, 0, 250, "{\"done\":[\"Indexing\"]}",
                    T0.plusSeconds(60), T0.plusSeconds(60)));

            assertThat(store().find("job-1")).contains(new Checkpoint("job-1", "p1", "Analyzing", null, 0, 250,
                    "{\"done\":[\"Indexing\"]}", T0, T0.plusSeconds(60)));
        }

        @Test
        void deleteReportsWhetherThereWasOne() {
            store().save(new Checkpoint("job-1", "p1", "Indexing", "a", 1, 2, "{}", T0, T0));

            assertThat(store().delete("job-1")).isTrue();
            assertThat(store().delete("job-1")).isFalse();
            assertThat(store().find("job-1")).isEmpty();
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
