package dev.aar.core.index;

import java.util.HashSet;
import java.util.Set;

/**
 * The content hashes one indexing run has met, kept as their first 64 bits, up to a bound. Tells the run
 * which chunks need a store look-up when the store held no vector of the model as the run began: only
 * those whose text the run met before (an earlier batch may have stored its vector). Two hashes that
 * share their first 64 bits only cost a look-up. Past the bound every hash needs a look-up, so memory
 * stays bounded (about 56 bytes a hash). Not thread-safe: the run's feeding thread alone uses it.
 */
final class MetHashes {

    private final int max;
    private Set<Long> keys = new HashSet<>();

    MetHashes(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must be >= 0, was " + max);
        }
        this.max = max;
    }

    /** Returns whether {@code hash} needs a look-up: it was met before, or the bound is reached; remembers it. */
    boolean needsLookup(String hash) {
        if (keys == null) {
            return true;
        }
        if (keys.size() >= max) {
            keys = null; // from here on everything is looked up; let the set go
            return true;
        }
        return !keys.add(key(hash));
    }

    /** The first 16 hex digits of a SHA-256 hex hash as a number; any other string's hash code. */
    static long key(String hash) {
        if (hash.length() >= 16) {
            try {
                return Long.parseUnsignedLong(hash, 0, 16, 16);
            } catch (NumberFormatException e) {
                // not hex: the String's own hash below will do
            }
        }
        return hash.hashCode();
    }
}
