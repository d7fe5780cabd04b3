package dev.aar.core.preflight;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Accumulates exactly counted tokens and the bytes left uncounted, per file extension, and
 * extrapolates: each extension's uncounted bytes are multiplied by its own tokens-per-byte ratio
 * when its sample holds at least {@value #MIN_SAMPLE_BYTES} bytes, else by the archive-wide ratio.
 * Safe for concurrent use.
 */
final class TokenEstimate {

    static final long MIN_SAMPLE_BYTES = 32 * 1024;
    /** Used only when nothing at all was sampled: about four bytes per token, typical of source code. */
    static final double FALLBACK_TOKENS_PER_BYTE = 0.25;
    private static final int MAX_EXTENSION = 12;

    private final Map<String, Stats> byExtension = new ConcurrentHashMap<>();

    private static final class Stats {
        final LongAdder sampledBytes = new LongAdder();
        final LongAdder sampledTokens = new LongAdder();
        final LongAdder unsampledBytes = new LongAdder();
    }

    void sampled(String path, long bytes, long tokens) {
        Stats s = stats(path);
        s.sampledBytes.add(bytes);
        s.sampledTokens.add(tokens);
    }

    void unsampled(String path, long bytes) {
        stats(path).unsampledBytes.add(bytes);
    }

    private Stats stats(String path) {
        return byExtension.computeIfAbsent(extension(path), k -> new Stats());
    }

    static String extension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot <= slash + 1 || path.length() - dot - 1 > MAX_EXTENSION) {
            return "";
        }
        return path.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    }

    long total() {
        long sampledBytes = 0;
        long sampledTokens = 0;
        for (Stats s : byExtension.values()) {
            sampledBytes += s.sampledBytes.sum();
            sampledTokens += s.sampledTokens.sum();
        }
        double global = sampledBytes > 0 ? (double) sampledTokens / sampledBytes : FALLBACK_TOKENS_PER_BYTE;
        double estimate = sampledTokens;
        for (Stats s : byExtension.values()) {
            long sb = s.sampledBytes.sum();
            double ratio = sb >= MIN_SAMPLE_BYTES ? (double) s.sampledTokens.sum() / sb : global;
            estimate += s.unsampledBytes.sum() * ratio;
        }
        return Math.round(estimate);
    }
}
