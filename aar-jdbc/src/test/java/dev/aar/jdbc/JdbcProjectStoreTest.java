package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.project.Project;
import dev.aar.core.project.ProjectStore;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JdbcProjectStoreTest {

    abstract static class Cases extends DatabaseTest {

        ProjectStore store() {
            return backend.projectStore();
        }

        static Project project(String id, String owner, Instant createdAt) {
            return new Project(id, owner, id + ".zip", "archives/" + id, 1234, null, null, null, createdAt);
        }

        @Test
        void createThenFindKeepsANotYetPreflightedVerdict() {
            Project p = project("p1", "acme", T0);
            store().create(p);

            assertThat(store().find("p1")).contains(p);
            assertThat(store().find("p1").orElseThrow().requiresApproval()).isNull();
            assertThat(store().find("nope")).isEmpty();
        }

        @Test
        void createRefusesATakenId() {
            store().create(project("p1", "acme", T0));

            assertThatThrownBy(() -> store().create(project("p1", "other", T0)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("p1");
        }

        @Test
        void updateReplacesTheProject() {
            store().create(project("p1", "acme", T0));
            Project approved = project("p1", "acme", T0).withRequiresApproval(true).withApproval("admin", T0.plusSeconds(9));

            assertThat(store().update(approved)).isTrue();
            assertThat(store().find("p1")).contains(approved);
            assertThat(store().update(project("p2", "acme", T0))).isFalse();
        }

        @Test
        void listByOwnerIsNewestFirstAndOnlyTheirs() {
            store().create(project("old", "acme", T0));
            store().create(project("new", "acme", T0.plusSeconds(10)));
            store().create(project("theirs", "other", T0.plusSeconds(5)));

            assertThat(store().listByOwner("acme")).extracting(Project::id).containsExactly("new", "old");
        }

        @Test
        void createdBeforeAndDelete() {
            store().create(project("old", "acme", T0));
            store().create(project("new", "acme", T0.plusSeconds(10)));

            assertThat(store().createdBefore(T0.plusSeconds(10))).extracting(Project::id).containsExactly("old");
            assertThat(store().delete("old")).isTrue();
            assertThat(store().delete("old")).isFalse();
            assertThat(store().find("old")).isEmpty();
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
