package dev.aar.core.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ProjectStore} promises; a backend's test extends this and supplies a fresh,
 * empty store per test.
 */
public abstract class ProjectStoreContract {

    /** Returns a new, empty store. */
    protected abstract ProjectStore createStore() throws Exception;

    protected ProjectStore store;

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
    }

    private static Project project(String owner, Instant createdAt) {
        String id = UUID.randomUUID().toString();
        return new Project(id, owner, "shop.zip", "projects/" + id + "/archive.zip", 1234, null, null, null, createdAt);
    }

    @Test
    void aCreatedProjectIsFoundAsStored() {
        Project p = project("org-a", T0);

        store.create(p);

        assertThat(store.find(p.id())).contains(p);
        assertThat(store.find(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void creatingTheSameIdTwiceFailsAndKeepsTheFirst() {
        Project p = project("org-a", T0);
        store.create(p);

        assertThatThrownBy(() -> store.create(new Project(p.id(), "org-b", "other.zip", p.archiveKey(), 1, null, null,
                null, T0))).isInstanceOf(RuntimeException.class);
        assertThat(store.find(p.id())).contains(p);
    }

    @Test
    void updateRecordsPreflightAndApprovalAndMissesAnUnknownProject() {
        Project p = project("org-a", T0);
        store.create(p);
        Instant approvedAt = T0.plus(1, ChronoUnit.HOURS);
        Project approved = p.withRequiresApproval(true).withApproval("ci-bot: nightly review", approvedAt);

        assertThat(store.update(approved)).isTrue();
        assertThat(store.find(p.id())).get().satisfies(found -> {
            assertThat(found.requiresApproval()).isTrue();
            assertThat(found.approvedBy()).isEqualTo("ci-bot: nightly review");
            assertThat(found.approvedAt()).isEqualTo(approvedAt);
            assertThat(found.isQueueable()).isTrue();
        });
        assertThat(store.update(project("org-a", T0))).isFalse();
    }

    @Test
    void listByOwnerIsNewestFirstAndOnlyTheOwners() {
        Project old = project("org-a", T0);
        Project newer = project("org-a", T0.plusSeconds(60));
        Project foreign = project("org-b", T0.plusSeconds(30));
        store.create(old);
        store.create(foreign);
        store.create(newer);

        assertThat(store.listByOwner("org-a")).extracting(Project::id).containsExactly(newer.id(), old.id());
        assertThat(store.listByOwner("org-c")).isEmpty();
    }

    @Test
    void createdBeforeReturnsOnlyOlderProjectsOfEveryOwner() {
        Project a = project("org-a", T0);
        Project b = project("org-b", T0.plusSeconds(10));
        Project c = project("org-a", T0.plusSeconds(3600));
        store.create(a);
        store.create(b);
        store.create(c);

        assertThat(store.createdBefore(T0.plusSeconds(60))).extracting(Project::id).containsExactlyInAnyOrder(a.id(), b.id());
    }

    @Test
    void deleteForgetsTheProjectOnce() {
        Project p = project("org-a", T0);
        store.create(p);

        assertThat(store.delete(p.id())).isTrue();
        assertThat(store.delete(p.id())).isFalse();
        assertThat(store.find(p.id())).isEmpty();
        assertThat(store.listByOwner("org-a")).isEmpty();
    }
}
