package dev.aar.core.memory;

import dev.aar.storage.UploadPart;
import dev.aar.storage.UploadSession;
import dev.aar.storage.UploadSessionStore;
import dev.aar.storage.UploadStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** An {@link UploadSessionStore} in memory; safe for concurrent use. */
public final class InMemoryUploadSessionStore implements UploadSessionStore {

    private final Map<String, UploadSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentSkipListMap<Integer, UploadPart>> parts = new ConcurrentHashMap<>();

    @Override
    public void create(UploadSession session) {
        Objects.requireNonNull(session, "session");
        if (sessions.putIfAbsent(session.id(), session) != null) {
            throw new IllegalStateException("upload session " + session.id() + " already exists");
        }
        parts.put(session.id(), new ConcurrentSkipListMap<>());
    }

    @Override
    public Optional<UploadSession> find(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    @Override
    public boolean transition(String sessionId, UploadStatus from, UploadStatus to) {
        boolean[] changed = {false};
        sessions.computeIfPresent(sessionId, (id, s) -> {
            if (s.status() == from) {
                changed[0] = true;
                return s.withStatus(to);
            }
            return s;
        });
        return changed[0];
    }

    @Override
    public void putPart(String sessionId, UploadPart part) {
        ConcurrentSkipListMap<Integer, UploadPart> received = parts.get(sessionId);
        if (received == null) {
            throw new IllegalStateException("upload session " + sessionId + " does not exist");
        }
        received.put(part.partNumber(), part);
    }

    @Override
    public List<UploadPart> parts(String sessionId) {
        ConcurrentSkipListMap<Integer, UploadPart> received = parts.get(sessionId);
        return received == null ? List.of() : List.copyOf(received.values());
    }

    @Override
    public Optional<UploadPart> part(String sessionId, int partNumber) {
        ConcurrentSkipListMap<Integer, UploadPart> received = parts.get(sessionId);
        return received == null ? Optional.empty() : Optional.ofNullable(received.get(partNumber));
    }

    @Override
    public List<UploadSession> findExpired(Instant now) {
        List<UploadSession> expired = new ArrayList<>();
        for (UploadSession s : sessions.values()) {
            if (s.status().isOpen() && !s.expiresAt().isAfter(now)) {
                expired.add(s);
            }
        }
        return expired;
    }

    @Override
    public List<UploadSession> findClosed(Instant expiredBy, int limit) {
        return sessions.values().stream()
                .filter(s -> !s.status().isOpen() && !s.expiresAt().isAfter(expiredBy))
                .sorted(Comparator.comparing(UploadSession::expiresAt))
                .limit(limit)
                .toList();
    }

    @Override
    public boolean delete(String sessionId) {
        parts.remove(sessionId);
        return sessions.remove(sessionId) != null;
    }
}
