package dev.aar.spring;

/**
 * Answers whether the SDK's database is reachable, for the {@code aar} health indicator: returns a short
 * description (database and schema version) or throws. Present when the stores are in a database.
 */
@FunctionalInterface
public interface AarDatabaseProbe {

    /** Queries the database and describes it; throws when it does not answer. */
    String probe();
}
