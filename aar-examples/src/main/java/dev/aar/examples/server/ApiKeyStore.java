package dev.aar.examples.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues and checks API keys, kept as SHA-256 hashes in a JSON file.
 *
 * <p>Keys are 256 random bits, so a plain SHA-256 is as strong as a slow password hash here and
 * lets a request be authenticated with one lookup. The file is rewritten atomically.
 */
public final class ApiKeyStore {

    private static final String PREFIX = "aar_";
    private final Path file;
    private final ObjectMapper json;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private List<ApiKey> keys;

    /** Opens (or creates) the key file. */
    public ApiKeyStore(Path file, ObjectMapper json, Clock clock) {
        this.file = file;
        this.json = json;
        this.clock = clock;
        this.keys = load();
    }

    /** A newly issued key: the secret is shown once and never stored. */
    public record Issued(ApiKey key, String secret) {
    }

    /** Returns whether any key exists. */
    public synchronized boolean isEmpty() {
        return keys.isEmpty();
    }

    /** Issues a new key for {@code organizationId}. */
    public synchronized Issued issue(String organizationId, String name) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiKey key = new ApiKey(UUID.randomUUID().toString(), organizationId, name, Sha256.hex(secret), clock.instant());
        List<ApiKey> next = new ArrayList<>(keys);
        next.add(key);
        save(next);
        keys = next;
        return new Issued(key, secret);
    }

    /** Returns the key matching {@code secret}, if any. */
    public synchronized Optional<ApiKey> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        byte[] hash = Sha256.hex(secret).getBytes(StandardCharsets.US_ASCII);
        for (ApiKey k : keys) {
            if (MessageDigest.isEqual(hash, k.sha256().getBytes(StandardCharsets.US_ASCII))) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private List<ApiKey> load() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return List.copyOf(json.readValue(file.toFile(), new TypeReference<List<ApiKey>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read API keys from " + file, e);
        }
    }

    private void save(List<ApiKey> next) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), next);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write API keys to " + file, e);
        }
    }
}
