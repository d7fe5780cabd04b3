package dev.aar.examples.server;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where {@link ApiKeyStore} keeps its keys: a JSON file, or the database's {@code api_keys} table. */
interface KeyRecords {

    /** Returns every key, oldest first, as stored now (another process may have changed them). */
    List<ApiKey> all();

    /** Returns the key whose secret hashes to {@code sha256}, revoked or not. */
    Optional<ApiKey> findBySha256(String sha256);

    /** Adds a key. */
    void insert(ApiKey key);

    /** Adds {@code key} only if there is no key at all; returns whether it was added. */
    boolean insertIfEmpty(ApiKey key);

    /** Refuses the key from {@code at} on (an earlier revocation stays); returns whether it exists. */
    boolean revoke(String id, Instant at);

    /** Adds {@code next} and revokes {@code oldId} from {@code oldRevokedAt} together; false if the old key is unknown. */
    boolean rotate(ApiKey next, String oldId, Instant oldRevokedAt);

    /** Records that the key authenticated a request at {@code at}. */
    void touch(String id, Instant at);

    /** Says where the keys are, for the banner and the CLI. */
    String describe();
}
