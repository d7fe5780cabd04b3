package dev.aar.azure.internal;

import java.util.List;

/**
 * One architecture question the LLM reviewer asks, with the retrieval query that finds the code it
 * is about (a query phrased like code, since it is embedded and compared with code chunks).
 *
 * @param id short name shown in the prompt
 * @param question what the model is asked
 * @param query what {@code ProjectView.search} is asked
 */
public record ReviewQuestion(String id, String question, String query) {

    /** The fixed questions, in prompt order. */
    public static final List<ReviewQuestion> ALL = List.of(
            new ReviewQuestion("layering",
                    "Are the layers and modules clearly separated, and does any layer reach past its neighbours"
                            + " (for example UI or controllers talking to the database directly)?",
                    "controller service repository layer module boundary package imports dependency direction"),
            new ReviewQuestion("coupling",
                    "Where are components tightly coupled: classes that know too much about others, global or"
                            + " static state, god classes, circular knowledge?",
                    "class depends on many other classes static singleton global state shared utility manager"),
            new ReviewQuestion("error-handling",
                    "Are errors handled consistently: swallowed exceptions, catch-all blocks, missing context,"
                            + " retries without limits, errors leaking to users?",
                    "try catch exception error handling throw log retry fallback"),
            new ReviewQuestion("security",
                    "Are there security weaknesses: missing authentication or authorization checks, unvalidated"
                            + " input, injection, unsafe deserialization, weak crypto, secrets in code?",
                    "authentication authorization password token input validation sql query encryption request"),
            new ReviewQuestion("data-access",
                    "How is data accessed: queries built by hand, N+1 queries, transactions missing or too wide,"
                            + " connections not closed, persistence mixed into business logic?",
                    "database query repository transaction connection sql orm entity save"),
            new ReviewQuestion("concurrency",
                    "Are there concurrency hazards: shared mutable state without synchronization, blocking calls"
                            + " on shared pools, unbounded thread or queue creation, race conditions?",
                    "thread synchronized lock concurrent executor async future shared mutable state"));
}
