package dev.aar.core.report;

/**
 * What the job actually consumed.
 *
 * @param tokens tokens sent to the embedding (and, when used, the chat) provider
 * @param cost what those tokens cost, in the configured currency (USD by default)
 */
public record Spend(long tokens, double cost) {

    /** Nothing spent. */
    public static final Spend NONE = new Spend(0, 0.0);
}
