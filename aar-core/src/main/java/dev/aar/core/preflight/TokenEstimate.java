package dev.aar.core.preflight;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Accumulates exactly counted tokens and the pre-tokens of files left uncounted, per file
 * extension, and extrapolates: each extension's uncounted pre-tokens are multiplied by its own
 * tokens-per-pre-token ratio when its sample holds at least {@value #MIN_SAMPLE_PRE_TOKENS}
 * pre-tokens, else by the archive-wide ratio. Safe for concurrent use.
 */
final class TokenEstimate {

    static final long MIN_SAMPLE_PRE_TOKENS = 5_000;
    /** Used only when nothing at all was sampled: measured on the JDK sources, about 1.3 tokens per pre-token. */
    static final double FALLBACK_TOKENS_PER_PRE_TOKEN = 1.3;
    private static final int MAX_EXTENSION = 12;

    private final Map<String, Stats> byExtension = new ConcurrentHashMap<>();

    private static final class Stats {
        final LongAdder sampledPre = new LongAdder();
        final LongAdder sampledTokens = new LongAdder();
        final LongAdder unsampledPre = new LongAdder();
    }

    void sampled(String path, long preTokens, long tokens) {
        Stats s = stats(path);
        s.sampledPre.add(preTokens);
        s.sampledTokens.add(tokens);
    }

    void unsampled(String path, long preTokens) {
        stats(path).unsampledPre.add(preTokens);
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
        long sampledPre = 0;
        long sampledTokens = 0;
        for (Stats s : byExtension.values()) {
            sampledPre += s.sampledPre.sum();
            sampledTokens += s.sampledTokens.sum();
        }
        double global = sampledPre > 0 ? (double) sampledTokens / sampledPre : FALLBACK_TOKENS_PER_PRE_TOKEN;
        double estimate = sampledTokens;
        for (Stats s : byExtension.values()) {
            long sp = s.sampledPre.sum();
            double ratio = sp >= MIN_SAMPLE_PRE_TOKENS ? (double) s.sampledTokens.sum() / sp : global;
            estimate += s.unsampledPre.sum() * ratio;
        }
        return Math.round(estimate);
    }
}
