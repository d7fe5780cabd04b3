package dev.aar.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Records upload sessions and their received parts; the bytes themselves live in a {@link BlobStore}.
 *
 * <p>Implementations must be safe for concurrent use by many threads (and, for shared databases,
 * many processes): {@link #transition} is the only way to change a session's status, and it is
 * a compare-and-set.
 */
public interface UploadSessionStore {

    /** Records a new session; fails if the id is taken. */
    void create(UploadSession session);

    /** Returns the session with this id, whoever owns it, or empty. */
    Optional<UploadSession> find(String sessionId);

    /** Sets the status to {@code to} only if it is currently {@code from}; returns whether it did. */
    boolean transition(String sessionId, UploadStatus from, UploadStatus to);

    /** Records a received part, replacing any earlier record for the same part number. */
    void putPart(String sessionId, UploadPart part);

    /** Returns the recorded parts of a session, sorted by part number. */
    List<UploadPart> parts(String sessionId);

    /**
     * Returns the record of one part, or empty. Called for every received part, so backends should
     * look it up directly; the default scans {@link #parts}, which makes an upload of n parts cost
     * O(n²) reads.
     */
    default Optional<UploadPart> part(String sessionId, int partNumber) {
        for (UploadPart p : parts(sessionId)) {
            if (p.partNumber() == partNumber) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Returns the sessions that are still open but expire at or before {@code now}. */
    List<UploadSession> findExpired(Instant now);

    /**
     * Returns up to {@code limit} closed sessions (completed, cancelled or expired) whose expiry is at
     * or before {@code expiredBy}, oldest expiry first, so that records kept after a session closed can
     * be purged.
     */
    List<UploadSession> findClosed(Instant expiredBy, int limit);

    /** Forgets a session and its part records; returns false if there was none. */
    boolean delete(String sessionId);
}
