package dev.aar.core.config;

import java.util.Objects;

/**
 * The {@code EmbeddingProcessing} section: how chunks are cut, batched and paid for.
 *
 * @param batchSize most chunks per embedding request ({@code BatchSize})
 * @param maxConcurrency most embedding requests in flight per node, shared by all jobs ({@code MaxConcurrency})
 * @param costPerMillionTokens price per million tokens, for estimates and reports ({@code CostPerMillionTokens})
 * @param maxChunkSizeTokens largest chunk, in tokens ({@code MaxChunkSizeTokens})
 * @param overlapTokens tokens shared by consecutive chunks of a file ({@code OverlapTokens})
 * @param tokenEncoding jtokkit encoding used to count tokens ({@code TokenEncoding}, e.g. cl100k_base)
 * @param tokensPerMinute provider token budget per minute, 0 for none ({@code TokensPerMinute})
 */
public record EmbeddingProcessing(
        int batchSize,
        int maxConcurrency,
        double costPerMillionTokens,
        int maxChunkSizeTokens,
        int overlapTokens,
        String tokenEncoding,
        long tokensPerMinute) {

    public static final String SECTION = "EmbeddingProcessing";
    static final Key K_BATCH_SIZE = Key.whole(SECTION, "BatchSize", 1, 2048);
    static final Key K_MAX_CONCURRENCY = Key.whole(SECTION, "MaxConcurrency", 1, 256);
    static final Key K_COST_PER_MILLION_TOKENS = Key.decimal(SECTION, "CostPerMillionTokens", 0.0, 1_000_000.0);
    static final Key K_MAX_CHUNK_SIZE_TOKENS = Key.whole(SECTION, "MaxChunkSizeTokens", 16, 8192);
    static final Key K_OVERLAP_TOKENS = Key.whole(SECTION, "OverlapTokens", 0, 4096);
    static final Key K_TOKENS_PER_MINUTE = Key.whole(SECTION, "TokensPerMinute", 0, Long.MAX_VALUE);
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final int DEFAULT_MAX_CONCURRENCY = 5;
    public static final double DEFAULT_COST_PER_MILLION_TOKENS = 0.10;
    public static final int DEFAULT_MAX_CHUNK_SIZE_TOKENS = 512;
    public static final int DEFAULT_OVERLAP_TOKENS = 50;
    public static final String DEFAULT_TOKEN_ENCODING = "cl100k_base";
    public static final long DEFAULT_TOKENS_PER_MINUTE = 0;

    /** The encodings jtokkit ships. */
    static final java.util.Set<String> ENCODINGS = java.util.Set.of(
            "cl100k_base", "o200k_base", "p50k_base", "p50k_edit", "r50k_base");

    public EmbeddingProcessing {
        K_BATCH_SIZE.check(batchSize);
        K_MAX_CONCURRENCY.check(maxConcurrency);
        K_COST_PER_MILLION_TOKENS.check(costPerMillionTokens);
        K_MAX_CHUNK_SIZE_TOKENS.check(maxChunkSizeTokens);
        K_OVERLAP_TOKENS.check(overlapTokens);
        if (overlapTokens > maxChunkSizeTokens / 2) {
            throw K_OVERLAP_TOKENS.outOfRange(overlapTokens + " (with MaxChunkSizeTokens = " + maxChunkSizeTokens
                    + "; at most half of it)");
        }
        Objects.requireNonNull(tokenEncoding, "tokenEncoding");
        if (!ENCODINGS.contains(tokenEncoding)) {
            throw Check.outOfRange(SECTION + ".TokenEncoding", tokenEncoding, String.join(", ", new java.util.TreeSet<>(ENCODINGS)));
        }
        K_TOKENS_PER_MINUTE.check(tokensPerMinute);
    }

    /** Returns the spec's defaults. */
    public static EmbeddingProcessing defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().batchSize(batchSize).maxConcurrency(maxConcurrency)
                .costPerMillionTokens(costPerMillionTokens).maxChunkSizeTokens(maxChunkSizeTokens)
                .overlapTokens(overlapTokens).tokenEncoding(tokenEncoding).tokensPerMinute(tokensPerMinute);
    }

    /** Builds an {@link EmbeddingProcessing}; starts from the defaults and validates at {@link #build()}. */
    public static final class Builder {
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
        private double costPerMillionTokens = DEFAULT_COST_PER_MILLION_TOKENS;
        private int maxChunkSizeTokens = DEFAULT_MAX_CHUNK_SIZE_TOKENS;
        private int overlapTokens = DEFAULT_OVERLAP_TOKENS;
        private String tokenEncoding = DEFAULT_TOKEN_ENCODING;
        private long tokensPerMinute = DEFAULT_TOKENS_PER_MINUTE;

        private Builder() {
        }

        public Builder batchSize(int v) { this.batchSize = v; return this; }
        public Builder maxConcurrency(int v) { this.maxConcurrency = v; return this; }
        public Builder costPerMillionTokens(double v) { this.costPerMillionTokens = v; return this; }
        public Builder maxChunkSizeTokens(int v) { this.maxChunkSizeTokens = v; return this; }
        public Builder overlapTokens(int v) { this.overlapTokens = v; return this; }
        public Builder tokenEncoding(String v) { this.tokenEncoding = v; return this; }
        public Builder tokensPerMinute(long v) { this.tokensPerMinute = v; return this; }

        public EmbeddingProcessing build() {
            return new EmbeddingProcessing(batchSize, maxConcurrency, costPerMillionTokens, maxChunkSizeTokens,
                    overlapTokens, tokenEncoding, tokensPerMinute);
        }
    }
}
