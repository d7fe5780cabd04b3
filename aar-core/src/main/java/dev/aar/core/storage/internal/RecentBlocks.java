package dev.aar.core.storage.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last few blocks a channel read, by their start: a ZIP walk alternates between the central directory
 * at the end and the entries at the start, and one cached block would be fetched (and decrypted) again for
 * every entry.
 */
final class RecentBlocks {

    /** How many blocks are kept. */
    static final int KEPT = 4;

    private final Map<Long, byte[]> blocks = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > KEPT;
        }
    };

    byte[] get(long start) {
        return blocks.get(start);
    }

    void put(long start, byte[] block) {
        blocks.put(start, block);
    }

    void clear() {
        blocks.clear();
    }
}
