package dev.aar.examples.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.jdbc.ApiKeyTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Issues, checks, lists, revokes and rotates API keys, kept as SHA-256 hashes in the database's
 * {@code api_keys} table or in a JSON file.
 *
 * <p>Keys are 256 random bits, so a plain SHA-256 is as strong as a slow password hash here and
 * lets a request be authenticated with one lookup. Every lookup sees the store as it is now (the
 * table is queried, the file re-read when it changed), so a key revoked by {@code aar keys} on any
 * machine is refused on the next request, with no restart.
 */
public final class ApiKeyStore {

    /** How stale a key's recorded last use may get: recording every request would write on every request. */
    static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);
    /** The name of the key {@code aar serve} issues at first start. */
    public static final String FIRST_KEY_NAME = "first key (aar serve)";

    private static final String PREFIX = "aar_";
    private final KeyRecords records;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** Opens (or creates on first write) the key file; it is written owner-only (0600). */
    public ApiKeyStore(Path file, ObjectMapper json, Clock clock) {
        this(new FileKeyRecords(file, json), clock);
    }

    private ApiKeyStore(KeyRecords records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    /** Keeps the keys in the database's {@code api_keys} table, shared by every node. */
    public static ApiKeyStore inDatabase(ApiKeyTable table, Clock clock) {
        return new ApiKeyStore(new TableKeyRecords(table), clock);
    }

    /** A newly issued key: the secret is shown once and never stored. */
    public record Issued(ApiKey key, String secret) {
    }

    /** Says where the keys are kept ("the file …" or "the database (table api_keys)"). */
    public String location() {
        return records.describe();
    }

    /** Returns whether any key exists (revoked ones included). */
    public boolean isEmpty() {
        return records.all().isEmpty();
    }

    /** Returns every key, oldest first, revoked ones included; never a secret. */
    public List<ApiKey> list() {
        return records.all();
    }

    /** Issues a new key without rights for {@code organizationId}. */
    public Issued issue(String organizationId, String name) {
        return issue(organizationId, name, Set.of());
    }

    /**
     * Issues a new key for {@code organizationId} with {@code rights}.
     *
     * @throws IllegalArgumentException for an unknown right or a blank organization
     */
    public Issued issue(String organizationId, String name, Collection<String> rights) {
        Issued issued = newKey(organizationId, name, rights);
        records.insert(issued.key());
        return issued;
    }

    /**
     * Issues the first key, with the {@code approve} right, if there is no key at all (the
     * quick start's zero setup); empty when keys exist.
     */
    public Optional<Issued> issueFirst(String organizationId) {
        Issued issued = newKey(organizationId, FIRST_KEY_NAME, Set.of(ApiKey.APPROVE));
        return records.insertIfEmpty(issued.key()) ? Optional.of(issued) : Optional.empty();
    }

    /** Refuses the key from now on; returns false if there is no key with this id. */
    public boolean revoke(String id) {
        return records.revoke(id, clock.instant());
    }

    /**
     * Issues a new secret for the key's organization, name and rights, and revokes the old one
     * after {@code grace} (zero: at once), so clients can switch over without an outage.
     *
     * @return the new key, or empty if there is no key with this id
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public Optional<Issued> rotate(String id, Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace period must not be negative, was " + grace);
        }
        Optional<ApiKey> old = records.all().stream().filter(k -> k.id().equals(id)).findFirst();
        if (old.isEmpty()) {
            return Optional.empty();
        }
        Issued issued = newKey(old.get().organizationId(), old.get().name(), old.get().rights());
        Instant now = clock.instant();
        Instant oldEnds = old.get().isRevokedAt(now) ? old.get().revokedAt() : now.plus(grace);
        return records.rotate(issued.key(), id, oldEnds) ? Optional.of(issued) : Optional.empty();
    }

    /** Returns the key matching {@code secret}, revoked or not; empty for an unknown or malformed secret. */
    public Optional<ApiKey> find(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        return records.findBySha256(Sha256.hex(secret));
    }

    /** Returns the key matching {@code secret} if it is not revoked, and records its use (to the minute). */
    public Optional<ApiKey> authenticate(String secret) {
        Instant now = clock.instant();
        Optional<ApiKey> key = find(secret).filter(k -> !k.isRevokedAt(now));
        key.ifPresent(k -> recordUse(k, now));
        return key;
    }

    /** Records that {@code key} authenticated a request at {@code now}, unless it was recorded within the last minute. */
    void recordUse(ApiKey key, Instant now) {
        if (key.lastUsedAt() == null || key.lastUsedAt().plus(LAST_USED_RESOLUTION).isBefore(now)) {
            records.touch(key.id(), now);
        }
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Returns a warning when {@code file} may be read by other users (group or others have any
     * permission), else empty; empty too where the file system has no POSIX permissions.
     */
    public static Optional<String> permissionWarning(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null || !Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Set<PosixFilePermission> p = view.readAttributes().permissions();
            Set<PosixFilePermission> open = new TreeSet<>(p);
            open.removeAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE));
            if (open.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of("the API key file " + file.toAbsolutePath() + " is readable by other users ("
                    + java.nio.file.attribute.PosixFilePermissions.toString(p) + "): they learn every key's "
                    + "organization and rights, and if they can write it they can add a key of their own. "
                    + "Make it owner-only: chmod 600 " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the permissions of " + file + ": " + e.getMessage(), e);
        }
    }

    private Issued newKey(String organizationId, String name, Collection<String> rights) {
        if (organizationId == null || organizationId.isBlank() || organizationId.length() > 100) {
            throw new IllegalArgumentException("the organization must be 1 to 100 characters, was '" + organizationId + "'");
        }
        if (name != null && name.length() > 200) {
            throw new IllegalArgumentException("a key's name must be at most 200 characters");
        }
        for (String r : rights) {
            if (!ApiKey.RIGHTS.contains(r)) {
                throw new IllegalArgumentException("unknown right '" + r + "'; known: " + new TreeSet<>(ApiKey.RIGHTS));
            }
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiKey key = new ApiKey(UUID.randomUUID().toString(), organizationId, name == null ? "" : name,
                Sha256.hex(secret), clock.instant(), Set.copyOf(rights), null, null);
        return new Issued(key, secret);
    }
}
