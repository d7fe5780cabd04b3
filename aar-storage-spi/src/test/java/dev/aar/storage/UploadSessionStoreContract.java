package dev.aar.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link UploadSessionStore} promises; a backend's test extends this and supplies
 * a fresh, empty store per test. Instants are whole milliseconds, which every backend can keep exactly.
 */
public abstract class UploadSessionStoreContract {

    /** Returns a new, empty store. */
    protected abstract UploadSessionStore createStore() throws Exception;

    protected static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123Z");

    protected UploadSessionStore store;

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
    }

    @Test
    void aCreatedSessionIsFoundWithEveryField() {
        UploadSession session = new UploadSession(UUID.randomUUID().toString(), "key-1", "project.zip",
                10_000_000L, 4_194_304L, 3, "ab".repeat(32), "uploads/s1/project.zip", UploadStatus.ACTIVE,
                NOW.plusSeconds(3600), NOW);

        store.create(session);

        assertThat(store.find(session.id())).contains(session);
    }

    @Test
    void theWholeFileChecksumIsOptional() {
        UploadSession session = session("owner", NOW.plusSeconds(60));

        store.create(session);

        assertThat(store.find(session.id())).get().extracting(UploadSession::sha256).isNull();
    }

    @Test
    void anUnknownSessionIsEmpty() {
        assertThat(store.find(UUID.randomUUID().toString())).isEmpty();
        assertThat(store.parts(UUID.randomUUID().toString())).isEmpty();
        assertThat(store.delete(UUID.randomUUID().toString())).isFalse();
        assertThat(store.transition(UUID.randomUUID().toString(), UploadStatus.ACTIVE, UploadStatus.CANCELLED)).isFalse();
    }

    @Test
    void aTakenIdIsRefusedAndTheFirstSessionKept() {
        UploadSession first = session("owner-a", NOW.plusSeconds(60));
        store.create(first);
        UploadSession second = new UploadSession(first.id(), "owner-b", "other.zip", 1, 1, 1, null, "other",
                UploadStatus.ACTIVE, NOW.plusSeconds(60), NOW);

        assertThat(catchThrowable(() -> store.create(second))).isInstanceOf(RuntimeException.class);
        assertThat(store.find(first.id())).contains(first);
    }

    @Test
    void findReturnsTheSessionWhoeverOwnsIt() {
        UploadSession a = session("owner-a", NOW.plusSeconds(60));
        UploadSession b = session("owner-b", NOW.plusSeconds(60));
        store.create(a);
        store.create(b);

        assertThat(store.find(a.id())).get().extracting(UploadSession::ownerId).isEqualTo("owner-a");
        assertThat(store.find(b.id())).get().extracting(UploadSession::ownerId).isEqualTo("owner-b");
    }

    @Test
    void transitionIsACompareAndSet() {
        UploadSession s = session("owner", NOW.plusSeconds(60));
        store.create(s);

        assertThat(store.transition(s.id(), UploadStatus.ACTIVE, UploadStatus.FINALIZING)).isTrue();
        assertThat(store.transition(s.id(), UploadStatus.ACTIVE, UploadStatus.FINALIZING)).isFalse();
        assertThat(store.transition(s.id(), UploadStatus.ACTIVE, UploadStatus.CANCELLED)).isFalse();
        assertThat(store.find(s.id())).get().extracting(UploadSession::status).isEqualTo(UploadStatus.FINALIZING);
        assertThat(store.transition(s.id(), UploadStatus.FINALIZING, UploadStatus.COMPLETED)).isTrue();
        assertThat(store.find(s.id()).orElseThrow())
                .isEqualTo(s.withStatus(UploadStatus.COMPLETED));
    }

    @Test
    void concurrentTransitionsHaveExactlyOneWinner() throws Exception {
        UploadSession s = session("owner", NOW.plusSeconds(60));
        store.create(s);
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < racers; i++) {
                UploadStatus target = i % 2 == 0 ? UploadStatus.FINALIZING : UploadStatus.CANCELLED;
                results.add(pool.submit(() -> {
                    start.await();
                    return store.transition(s.id(), UploadStatus.ACTIVE, target);
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> f : results) {
                winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.find(s.id())).get().extracting(UploadSession::status)
                .isIn(UploadStatus.FINALIZING, UploadStatus.CANCELLED);
    }

    @Test
    void partsAreSortedByNumberAndReplacedByNumber() {
        UploadSession s = session("owner", NOW.plusSeconds(60));
        store.create(s);
        store.putPart(s.id(), part(3, "c"));
        store.putPart(s.id(), part(1, "a"));
        store.putPart(s.id(), part(2, "b"));
        UploadPart resent = new UploadPart(2, 100, "f".repeat(64), NOW.plusSeconds(5));

        store.putPart(s.id(), resent);

        assertThat(store.parts(s.id())).extracting(UploadPart::partNumber).containsExactly(1, 2, 3);
        assertThat(store.parts(s.id()).get(1)).isEqualTo(resent);
        assertThat(store.parts(s.id()).get(0)).isEqualTo(part(1, "a"));
    }

    @Test
    void onePartIsLookedUpByNumberWithinItsSession() {
        UploadSession s = session("owner", NOW.plusSeconds(60));
        UploadSession other = session("owner", NOW.plusSeconds(60));
        store.create(s);
        store.create(other);
        store.putPart(s.id(), part(1, "a"));
        store.putPart(s.id(), part(2, "b"));
        UploadPart resent = new UploadPart(2, 100, "f".repeat(64), NOW.plusSeconds(5));
        store.putPart(s.id(), resent);

        assertThat(store.part(s.id(), 1)).contains(part(1, "a"));
        assertThat(store.part(s.id(), 2)).contains(resent);
        assertThat(store.part(s.id(), 3)).isEmpty();
        assertThat(store.part(other.id(), 1)).isEmpty();
        assertThat(store.part(UUID.randomUUID().toString(), 1)).isEmpty();
    }

    @Test
    void partsBelongToTheirSession() {
        UploadSession a = session("owner", NOW.plusSeconds(60));
        UploadSession b = session("owner", NOW.plusSeconds(60));
        store.create(a);
        store.create(b);

        store.putPart(a.id(), part(1, "a"));

        assertThat(store.parts(a.id())).hasSize(1);
        assertThat(store.parts(b.id())).isEmpty();
    }

    @Test
    void findExpiredReturnsOnlyOpenSessionsDueAtOrBeforeNow() {
        UploadSession due = session("o", NOW.minusSeconds(1));
        UploadSession dueExactly = session("o", NOW);
        UploadSession finalizingDue = session("o", NOW.minusSeconds(10));
        UploadSession notYet = session("o", NOW.plusMillis(1));
        UploadSession completedDue = session("o", NOW.minusSeconds(10));
        UploadSession cancelledDue = session("o", NOW.minusSeconds(10));
        for (UploadSession s : List.of(due, dueExactly, finalizingDue, notYet, completedDue, cancelledDue)) {
            store.create(s);
        }
        store.transition(finalizingDue.id(), UploadStatus.ACTIVE, UploadStatus.FINALIZING);
        store.transition(completedDue.id(), UploadStatus.ACTIVE, UploadStatus.COMPLETED);
        store.transition(cancelledDue.id(), UploadStatus.ACTIVE, UploadStatus.CANCELLED);

        List<UploadSession> expired = store.findExpired(NOW);

        assertThat(expired).extracting(UploadSession::id)
                .containsExactlyInAnyOrder(due.id(), dueExactly.id(), finalizingDue.id());
    }

    @Test
    void findClosedReturnsClosedSessionsExpiredByTheCutoffOldestFirst() {
        UploadSession completedOld = session("o", NOW.minusSeconds(30));
        UploadSession cancelledOld = session("o", NOW.minusSeconds(20));
        UploadSession expiredExactly = session("o", NOW);
        UploadSession completedRecent = session("o", NOW.plusSeconds(1));
        UploadSession activeOld = session("o", NOW.minusSeconds(40));
        UploadSession finalizingOld = session("o", NOW.minusSeconds(40));
        for (UploadSession s : List.of(completedOld, cancelledOld, expiredExactly, completedRecent, activeOld,
                finalizingOld)) {
            store.create(s);
        }
        store.transition(completedOld.id(), UploadStatus.ACTIVE, UploadStatus.COMPLETED);
        store.transition(cancelledOld.id(), UploadStatus.ACTIVE, UploadStatus.CANCELLED);
        store.transition(expiredExactly.id(), UploadStatus.ACTIVE, UploadStatus.EXPIRED);
        store.transition(completedRecent.id(), UploadStatus.ACTIVE, UploadStatus.COMPLETED);
        store.transition(finalizingOld.id(), UploadStatus.ACTIVE, UploadStatus.FINALIZING);

        List<UploadSession> closed = store.findClosed(NOW, 10);

        assertThat(closed).extracting(UploadSession::id)
                .containsExactly(completedOld.id(), cancelledOld.id(), expiredExactly.id());
        assertThat(closed.get(0).status()).isEqualTo(UploadStatus.COMPLETED);
        assertThat(store.findClosed(NOW, 2)).extracting(UploadSession::id)
                .containsExactly(completedOld.id(), cancelledOld.id());
        assertThat(store.findClosed(NOW.minusSeconds(31), 10)).isEmpty();
    }

    @Test
    void deleteForgetsTheSessionAndItsParts() {
        UploadSession s = session("owner", NOW.plusSeconds(60));
        store.create(s);
        store.putPart(s.id(), part(1, "a"));

        assertThat(store.delete(s.id())).isTrue();

        assertThat(store.find(s.id())).isEmpty();
        assertThat(store.parts(s.id())).isEmpty();
        assertThat(store.delete(s.id())).isFalse();
        assertThat(store.findExpired(NOW.plusSeconds(3600))).isEmpty();
    }

    @Test
    void aDeletedIdCanBeUsedAgain() {
        UploadSession s = session("owner", NOW.plusSeconds(60));
        store.create(s);
        store.putPart(s.id(), part(1, "a"));
        store.delete(s.id());

        store.create(s);

        assertThat(store.find(s.id())).contains(s);
        assertThat(store.parts(s.id())).isEmpty();
    }

    // ---- helpers ----

    protected static UploadSession session(String owner, Instant expiresAt) {
        String id = UUID.randomUUID().toString();
        return new UploadSession(id, owner, "code.zip", 9_000_000L, 4_194_304L, 3, null, "uploads/" + id,
                UploadStatus.ACTIVE, expiresAt, NOW);
    }

    protected static UploadPart part(int number, String hashChar) {
        return new UploadPart(number, 4_194_304L, hashChar.repeat(64), NOW.plusSeconds(number));
    }
}
