package dev.aar.core.upload;

import dev.aar.core.error.StorageException;
import dev.aar.core.error.UploadSessionException;
import dev.aar.core.error.UploadSessionException.Reason;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ResumableUpload;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.internal.Digests;
import dev.aar.core.quota.QuotaService;
import dev.aar.storage.BlobStore;
import dev.aar.storage.UploadPart;
import dev.aar.storage.UploadSession;
import dev.aar.storage.UploadSessionStore;
import dev.aar.storage.UploadStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumable chunked uploads (the spec's {@code UploadSessions}): create a session, send parts in
 * any order and in parallel, ask for status, finalize or cancel.
 *
 * <p>Every call names its owner (the caller's API-key id); another owner's session is reported as
 * {@link Reason#NOT_FOUND}. Parts stream straight into the {@link BlobStore}, verified on the way
 * (length, and the client's SHA-256 or MD5 if given), with the session's {@link dev.aar.storage.PartLayout}
 * so a store can write each at its offset of the final file; a part that fails verification or whose
 * connection drops is discarded by the store and never becomes visible. Finalize assembles the
 * parts with the store's multipart commit (for such a store, a rename), verifies the whole-file SHA-256 if one was promised,
 * and is idempotent: concurrent calls (threads or nodes) agree through the session store's
 * compare-and-set, and all return the same completed session. All refusals are
 * {@link UploadSessionException}s; backend failures are {@link StorageException}s.
 */
public final class UploadSessionManager {

    /** Blob-key prefix of assembled uploads unless configured otherwise. */
    public static final String DEFAULT_KEY_PREFIX = "uploads";
    /** How long a finalize call waits for a concurrent finalize of the same session. */
    public static final Duration DEFAULT_FINALIZE_WAIT = Duration.ofMinutes(10);
    /** How long past its expiry a session stuck in FINALIZING (its finalizer died) is left before it is swept. */
    public static final Duration DEFAULT_FINALIZING_GRACE = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(UploadSessionManager.class);
    private static final int MAX_FILE_NAME = 500;
    private static final int PURGE_BATCH = 500;

    private final BlobStore blobs;
    private final UploadSessionStore sessions;
    private final ResumableUpload settings;
    private final long maxUploadBytes;
    private final Clock clock;
    private final QuotaService quotas;
    private final Function<String, String> organizationOf;
    private final String keyPrefix;
    private final Duration finalizeWait;

    private UploadSessionManager(Builder b) {
        this.blobs = Objects.requireNonNull(b.blobs, "blobStore");
        this.sessions = Objects.requireNonNull(b.sessions, "sessionStore");
        this.settings = b.resumableUpload;
        this.maxUploadBytes = b.scaleLimits.maxUploadSizeBytes();
        this.clock = b.clock;
        this.quotas = b.quotas;
        this.organizationOf = b.organizationOf;
        this.keyPrefix = b.keyPrefix;
        this.finalizeWait = b.finalizeWait;
    }

    /** Starts configuring a manager. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a session for a file of {@code totalSize} bytes, to be sent in parts of
     * {@code ResumableUpload.ChunkSizeBytes}; holds {@code totalSize} bytes of the owner's storage quota.
     *
     * @param sha256 the whole file's SHA-256 (hex or base64), verified at finalize; may be null
     * @return the session: its id, part size, part count and expiry
     * @throws UploadSessionException {@link Reason#TOO_LARGE} over {@code ScaleLimits.MaxUploadSizeMb}
     *     or {@code ResumableUpload.MaxPartsPerUpload}
     * @throws dev.aar.core.error.QuotaExceededException if the owner's storage quota cannot hold the file
     */
    public UploadSession create(String owner, String fileName, long totalSize, @Nullable String sha256) {
        requireOwner(owner);
        Objects.requireNonNull(fileName, "fileName");
        if (fileName.isBlank() || fileName.length() > MAX_FILE_NAME) {
            throw new IllegalArgumentException("file name must be 1 to " + MAX_FILE_NAME + " characters");
        }
        if (totalSize < 1) {
            throw new IllegalArgumentException("totalSize must be >= 1, was " + totalSize);
        }
        if (totalSize > maxUploadBytes) {
            throw new UploadSessionException(Reason.TOO_LARGE, "file of " + totalSize + " bytes is over "
                    + ScaleLimits.SECTION + ".MaxUploadSizeMb (" + maxUploadBytes + " bytes)");
        }
        long partSize = settings.chunkSizeBytes();
        long parts = (totalSize + partSize - 1) / partSize;
        if (parts > settings.maxPartsPerUpload()) {
            throw new UploadSessionException(Reason.TOO_LARGE, "file of " + totalSize + " bytes needs " + parts
                    + " parts of " + partSize + " bytes, more than " + ResumableUpload.SECTION + ".MaxPartsPerUpload ("
                    + settings.maxPartsPerUpload() + ")");
        }
        String wholeSha = sha256 == null ? null : PartChecksum.sha256(sha256).hex();
        if (quotas != null) {
            quotas.reserveStorage(organizationOf.apply(owner), totalSize);
        }
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        UploadSession session = new UploadSession(id, owner, fileName, totalSize, partSize, (int) parts, wholeSha,
                keyPrefix + "/" + id, UploadStatus.ACTIVE, now.plus(Duration.ofMinutes(settings.sessionExpirationMinutes())), now);
        try {
            sessions.create(session);
        } catch (RuntimeException e) {
            releaseQuota(session);
            throw e;
        }
        log.debug("upload session {} created for {}: {} bytes in {} parts", id, owner, totalSize, parts);
        return session;
    }

    /**
     * Receives part {@code partNumber} (1-based), streaming it to the store. Re-sending a part
     * replaces it atomically; re-sending identical bytes changes nothing.
     *
     * @param length the declared length (Content-Length), or -1 if unknown; either way the bytes are counted
     * @param checksum the client's checksum of the part, or null
     * @return the recorded part
     * @throws UploadSessionException NOT_FOUND, EXPIRED, ALREADY_FINALIZED, PART_OUT_OF_RANGE,
     *     WRONG_PART_SIZE, CHECKSUM_MISMATCH, or INTERRUPTED when the client's stream failed
     */
    public UploadPart putPart(String owner, String sessionId, int partNumber, InputStream data, long length,
            @Nullable PartChecksum checksum) {
        Objects.requireNonNull(data, "data");
        UploadSession s = writable(owner, sessionId);
        if (partNumber < 1 || partNumber > s.totalParts()) {
            throw new UploadSessionException(Reason.PART_OUT_OF_RANGE, "part " + partNumber + " is outside 1.."
                    + s.totalParts() + " of session " + sessionId);
        }
        long expected = s.expectedPartSize(partNumber);
        if (length >= 0 && length != expected) {
            throw new UploadSessionException(Reason.WRONG_PART_SIZE, "part " + partNumber + " of session " + sessionId
                    + " must be " + expected + " bytes, was declared as " + length);
        }
        Optional<UploadPart> previous = sessions.part(sessionId, partNumber);
        if (checksum != null && checksum.algorithm() == PartChecksum.Algorithm.SHA_256 && previous.isPresent()
                && previous.get().sha256().equals(checksum.hex()) && previous.get().size() == expected) {
            return previous.get(); // an identical re-send: the stored part already is these bytes
        }
        VerifyingInputStream verifying = new VerifyingInputStream(data, expected, checksum);
        try {
            blobs.stagePart(s.storageKey(), s.id(), partNumber, s.layout(), verifying);
        } catch (RuntimeException e) {
            throw translate(e, verifying, s, partNumber);
        }
        if (!verifying.verified()) {
            throw new StorageException("blob", "the store returned before reading all of part " + partNumber
                    + " of session " + sessionId + "; re-send the part", null);
        }
        if (previous.isPresent() && previous.get().sha256().equals(verifying.sha256Hex())) {
            return previous.get();
        }
        UploadPart part = new UploadPart(partNumber, expected, verifying.sha256Hex(), clock.instant());
        try {
            sessions.putPart(sessionId, part);
        } catch (RuntimeException e) {
            // cancelled or swept while the part streamed in: drop what was staged, then say why
            if (sessions.find(sessionId).filter(now -> now.status() == UploadStatus.ACTIVE).isEmpty()) {
                blobs.abortParts(s.storageKey(), s.id());
                writable(owner, sessionId);
            }
            throw e;
        }
        return part;
    }

    /** Returns the session's received and missing parts, bytes received, expiry and effective status. */
    public UploadProgress status(String owner, String sessionId) {
        UploadSession s = owned(owner, sessionId);
        List<UploadPart> parts = s.status() == UploadStatus.ACTIVE || s.status() == UploadStatus.FINALIZING
                ? sessions.parts(sessionId) : List.of();
        long received = s.status() == UploadStatus.COMPLETED ? s.totalSize()
                : parts.stream().mapToLong(UploadPart::size).sum();
        List<Integer> missing = s.status() == UploadStatus.COMPLETED ? List.of() : missing(s, parts);
        UploadStatus status = s.status() == UploadStatus.ACTIVE && isExpired(s, clock.instant())
                ? UploadStatus.EXPIRED : s.status();
        return new UploadProgress(s, status, parts, received, missing, s.expiresAt());
    }

    /**
     * Assembles the parts, in order, into the blob {@link UploadSession#storageKey()} and completes the
     * session. Idempotent: once completed, every call returns the completed session; concurrent
     * calls wait for the one that does the work.
     *
     * @throws UploadSessionException INCOMPLETE (with the missing parts), NOT_FOUND, EXPIRED,
     *     ALREADY_FINALIZED (cancelled), or CHECKSUM_MISMATCH when the assembled file's SHA-256 differs
     *     from the one promised at creation (then the session is closed and its blob deleted)
     */
    public UploadSession finalizeSession(String owner, String sessionId) {
        long deadline = System.nanoTime() + finalizeWait.toNanos();
        long pause = 1;
        while (true) {
            UploadSession s = owned(owner, sessionId);
            switch (s.status()) {
                case COMPLETED:
                    return s;
                case CANCELLED:
                    throw new UploadSessionException(Reason.ALREADY_FINALIZED, "session " + sessionId + " was cancelled");
                case EXPIRED:
                    throw expired(s);
                case FINALIZING:
                    // another caller (thread or node) is assembling; its result is ours
                    if (System.nanoTime() > deadline) {
                        throw new StorageException("upload", "session " + sessionId + " has been finalizing for over "
                                + finalizeWait + "; try again later", null);
                    }
                    sleep(pause);
                    pause = Math.min(pause * 2, 50);
                    continue;
                default:
                    break;
            }
            if (isExpired(s, clock.instant())) {
                throw expired(s);
            }
            List<Integer> missing = missing(s, sessions.parts(sessionId));
            if (!missing.isEmpty()) {
                throw new UploadSessionException(Reason.INCOMPLETE, "session " + sessionId + " is missing "
                        + missing.size() + " of " + s.totalParts() + " parts: " + preview(missing));
            }
            if (sessions.transition(sessionId, UploadStatus.ACTIVE, UploadStatus.FINALIZING)) {
                return assemble(s);
            }
        }
    }

    /**
     * Cancels an active session: deletes its parts, gives its storage quota back and forgets it.
     *
     * @throws UploadSessionException NOT_FOUND, or ALREADY_FINALIZED if it is finalizing or completed
     */
    public void cancel(String owner, String sessionId) {
        UploadSession s = owned(owner, sessionId);
        if (!sessions.transition(sessionId, UploadStatus.ACTIVE, UploadStatus.CANCELLED)) {
            UploadSession now = owned(owner, sessionId);
            if (now.status() != UploadStatus.CANCELLED) {
                throw new UploadSessionException(Reason.ALREADY_FINALIZED, "session " + sessionId + " is "
                        + now.status().name().toLowerCase(java.util.Locale.ROOT) + " and can no longer be cancelled");
            }
            return;
        }
        discard(s);
    }

    /** Expires and removes every open session past its expiry; returns how many were removed. */
    int sweepExpired(Instant now) {
        int swept = 0;
        for (UploadSession s : sessions.findExpired(now)) {
            if (s.status() == UploadStatus.FINALIZING && now.isBefore(s.expiresAt().plus(DEFAULT_FINALIZING_GRACE))) {
                continue; // probably still being assembled
            }
            if (sessions.transition(s.id(), s.status(), UploadStatus.EXPIRED)) {
                discard(s);
                swept++;
            }
        }
        return swept;
    }

    /**
     * Forgets closed sessions (completed, cancelled, expired) whose expiry is at or before
     * {@code expiredBy}; a completed session's assembled blob is kept. Parts a half-failed cancel or
     * sweep left behind are discarded first.
     *
     * @return how many session records were removed
     */
    int purgeClosed(Instant expiredBy) {
        int purged = 0;
        while (true) {
            List<UploadSession> batch = sessions.findClosed(expiredBy, PURGE_BATCH);
            int before = purged;
            for (UploadSession s : batch) {
                try {
                    if (s.status() != UploadStatus.COMPLETED) {
                        blobs.abortParts(s.storageKey(), s.id());
                    }
                    if (sessions.delete(s.id())) {
                        purged++;
                    }
                } catch (RuntimeException e) {
                    log.warn("cannot purge closed upload session {}; the next sweep tries again", s.id(), e);
                }
            }
            if (batch.size() < PURGE_BATCH || purged == before) {
                return purged; // done, or only sessions that keep failing are left
            }
        }
    }

    private UploadSession assemble(UploadSession s) {
        List<Integer> order = IntStream.rangeClosed(1, s.totalParts()).boxed().collect(Collectors.toList());
        try {
            blobs.commitParts(s.storageKey(), s.id(), order);
        } catch (RuntimeException e) {
            sessions.transition(s.id(), UploadStatus.FINALIZING, UploadStatus.ACTIVE);
            throw new StorageException("blob", "cannot assemble session " + s.id() + ": " + e.getMessage(), e);
        }
        if (s.sha256() != null) {
            String actual;
            try {
                actual = sha256Of(s.storageKey());
            } catch (RuntimeException e) {
                sessions.transition(s.id(), UploadStatus.FINALIZING, UploadStatus.ACTIVE);
                throw new StorageException("blob", "cannot verify session " + s.id() + ": " + e.getMessage(), e);
            }
            if (!actual.equals(s.sha256())) {
                // the parts are gone into the assembled blob, so the session cannot be resumed
                blobs.delete(s.storageKey());
                sessions.transition(s.id(), UploadStatus.FINALIZING, UploadStatus.CANCELLED);
                releaseQuota(s);
                throw new UploadSessionException(Reason.CHECKSUM_MISMATCH, "the assembled file of session " + s.id()
                        + " has SHA-256 " + actual + " but " + s.sha256() + " was promised; the session is closed, "
                        + "start a new upload");
            }
        }
        sessions.transition(s.id(), UploadStatus.FINALIZING, UploadStatus.COMPLETED);
        log.debug("upload session {} completed as {}", s.id(), s.storageKey());
        return s.withStatus(UploadStatus.COMPLETED);
    }

    private String sha256Of(String key) {
        MessageDigest digest = Digests.of("SHA-256");
        try (InputStream in = blobs.get(key).orElseThrow(() -> new IllegalStateException("committed blob " + key + " is missing"));
                DigestInputStream din = new DigestInputStream(in, digest)) {
            din.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back " + key, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private void discard(UploadSession s) {
        blobs.abortParts(s.storageKey(), s.id());
        releaseQuota(s);
        sessions.delete(s.id());
    }

    private void releaseQuota(UploadSession s) {
        if (quotas != null) {
            quotas.releaseStorage(organizationOf.apply(s.ownerId()), s.totalSize());
        }
    }

    private RuntimeException translate(RuntimeException e, VerifyingInputStream verifying, UploadSession s, int partNumber) {
        if (verifying.rejection() != null) {
            return new UploadSessionException(verifying.rejection().reason, "part " + partNumber + " of session "
                    + s.id() + " refused: " + verifying.rejection().getMessage(), e);
        }
        if (verifying.sourceFailure() != null) {
            return new UploadSessionException(Reason.INTERRUPTED, "part " + partNumber + " of session " + s.id()
                    + " was interrupted (" + verifying.sourceFailure().getMessage() + "); nothing was kept, re-send it", e);
        }
        if (e instanceof IllegalArgumentException) {
            return e;
        }
        return new StorageException("blob", "cannot store part " + partNumber + " of session " + s.id() + ": "
                + e.getMessage(), e);
    }

    private UploadSession owned(String owner, String sessionId) {
        requireOwner(owner);
        Objects.requireNonNull(sessionId, "sessionId");
        return sessions.find(sessionId).filter(s -> s.ownerId().equals(owner)).orElseThrow(
                () -> new UploadSessionException(Reason.NOT_FOUND, "upload session " + sessionId + " not found"));
    }

    private UploadSession writable(String owner, String sessionId) {
        UploadSession s = owned(owner, sessionId);
        switch (s.status()) {
            case ACTIVE:
                if (isExpired(s, clock.instant())) {
                    throw expired(s);
                }
                return s;
            case EXPIRED:
                throw expired(s);
            case CANCELLED:
                throw new UploadSessionException(Reason.ALREADY_FINALIZED, "session " + sessionId + " was cancelled");
            default:
                throw new UploadSessionException(Reason.ALREADY_FINALIZED, "session " + sessionId + " is "
                        + s.status().name().toLowerCase(java.util.Locale.ROOT) + " and takes no more parts");
        }
    }

    private static boolean isExpired(UploadSession s, Instant now) {
        return !now.isBefore(s.expiresAt());
    }

    private static UploadSessionException expired(UploadSession s) {
        return new UploadSessionException(Reason.EXPIRED, "session " + s.id() + " expired at " + s.expiresAt());
    }

    private static List<Integer> missing(UploadSession s, List<UploadPart> parts) {
        boolean[] have = new boolean[s.totalParts() + 1];
        for (UploadPart p : parts) {
            if (p.partNumber() <= s.totalParts() && p.size() == s.expectedPartSize(p.partNumber())) {
                have[p.partNumber()] = true;
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 1; i <= s.totalParts(); i++) {
            if (!have[i]) {
                missing.add(i);
            }
        }
        return missing;
    }

    private static String preview(List<Integer> missing) {
        return missing.size() <= 20 ? missing.toString() : missing.subList(0, 20) + " and " + (missing.size() - 20) + " more";
    }

    private static void requireOwner(String owner) {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("owner must not be blank");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("upload", "interrupted while waiting for a concurrent finalize", e);
        }
    }

    /** Configures an {@link UploadSessionManager}. */
    public static final class Builder {
        private BlobStore blobs;
        private UploadSessionStore sessions;
        private ResumableUpload resumableUpload = ResumableUpload.defaults();
        private ScaleLimits scaleLimits = ScaleLimits.defaults();
        private Clock clock = Clock.systemUTC();
        private QuotaService quotas;
        private Function<String, String> organizationOf = Function.identity();
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration finalizeWait = DEFAULT_FINALIZE_WAIT;

        private Builder() {
        }

        /** Where parts and assembled files are stored (required). */
        public Builder blobStore(BlobStore blobs) {
            this.blobs = Objects.requireNonNull(blobs, "blobStore");
            return this;
        }

        /** Where sessions and part records are kept (required). */
        public Builder sessionStore(UploadSessionStore sessions) {
            this.sessions = Objects.requireNonNull(sessions, "sessionStore");
            return this;
        }

        /** Takes {@code ResumableUpload} and {@code ScaleLimits.MaxUploadSizeMb} from here (default: the spec's defaults). */
        public Builder config(AarConfig config) {
            this.resumableUpload = config.resumableUpload();
            this.scaleLimits = config.scaleLimits();
            return this;
        }

        /** Part size, expiry and part count (default: the spec's; {@link #config} sets it too). */
        public Builder resumableUpload(ResumableUpload resumableUpload) {
            this.resumableUpload = Objects.requireNonNull(resumableUpload, "resumableUpload");
            return this;
        }

        /** {@code MaxUploadSizeMb} is taken from here (default: the spec's; {@link #config} sets it too). */
        public Builder scaleLimits(ScaleLimits scaleLimits) {
            this.scaleLimits = Objects.requireNonNull(scaleLimits, "scaleLimits");
            return this;
        }

        /** The time source for creation, expiry and part timestamps (default: the UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Holds each session's size against the owner's storage quota (default: no quotas). */
        public Builder quotaService(QuotaService quotas) {
            this.quotas = Objects.requireNonNull(quotas, "quotaService");
            return this;
        }

        /** Maps an owner (API-key id) to the organization whose quota it uses (default: the owner itself). */
        public Builder organizationOf(Function<String, String> organizationOf) {
            this.organizationOf = Objects.requireNonNull(organizationOf, "organizationOf");
            return this;
        }

        /** Assembled files are stored under {@code <prefix>/<sessionId>} (default {@value #DEFAULT_KEY_PREFIX}). */
        public Builder keyPrefix(String keyPrefix) {
            dev.aar.storage.BlobKey.validate(keyPrefix);
            this.keyPrefix = keyPrefix;
            return this;
        }

        /** How long finalize waits for a concurrent finalize of the same session (default 10 minutes). */
        public Builder finalizeWait(Duration wait) {
            if (wait.isNegative()) {
                throw new IllegalArgumentException("finalizeWait must not be negative, was " + wait);
            }
            this.finalizeWait = wait;
            return this;
        }

        public UploadSessionManager build() {
            return new UploadSessionManager(this);
        }
    }
}
