package dev.aar.jdbc.internal;

import dev.aar.queue.ClaimOrder;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of a claim, per {@link ClaimOrder}: pick the claimable jobs in order, record a lapse in
 * the error history of every picked job whose lease ran out, and lease the picked jobs.
 *
 * <p>On PostgreSQL it is one statement (a {@code WITH} whose pick locks rows {@code FOR UPDATE SKIP
 * LOCKED}, so concurrent claimers skip each other's rows instead of waiting). On SQLite it is two
 * statements over the same pick in one immediate transaction, which holds the database's only
 * write lock, so both see the same rows.
 */
final class ClaimStatements {

    /** Due queued jobs and jobs whose lease has lapsed. */
    static final String CLAIMABLE = "((state = 'QUEUED' AND run_at <= :now)"
            + " OR (state = 'RUNNING' AND lease_expires_at <= :now))";

    private static final String LEASE = "state = 'RUNNING', attempts = attempts + 1, fencing_token = fencing_token + 1,"
            + " lease_owner = :worker, lease_expires_at = :expires, updated_at = :now";
    private static final String LAPSE_MESSAGE =
            "'lease of worker ''' || COALESCE(%s, '?') || ''' expired; the job is claimable again'";

    private final Map<ClaimOrder, List<String>> statements = new EnumMap<>(ClaimOrder.class);

    ClaimStatements(Customization customization) {
        for (ClaimOrder order : ClaimOrder.values()) {
            statements.put(order, customization.writableCommonTableExpressions()
                    ? List.of(oneStatement(order, customization.claimLockClause()))
                    : twoStatements(order, customization.claimLockClause()));
        }
    }

    /** Returns the statements to run in order; the last returns the leased rows. */
    List<String> forOrder(ClaimOrder order) {
        return statements.get(order);
    }

    static String orderBy(ClaimOrder order) {
        return order == ClaimOrder.AGE ? "id" : "priority DESC, id";
    }

    private static String pick(ClaimOrder order, String columns, String lockClause) {
        return "SELECT " + columns + " FROM jobs WHERE state IN ('QUEUED', 'RUNNING') AND priority >= :minPriority AND "
                + CLAIMABLE + " ORDER BY " + orderBy(order) + " LIMIT :max" + lockClause;
    }

    private static String oneStatement(ClaimOrder order, String lockClause) {
        return "WITH picked AS (" + pick(order, "id, state AS prev_state, lease_owner AS prev_owner,"
                + " attempts AS prev_attempts", lockClause) + "),"
                + " lapsed AS (INSERT INTO job_errors (job_id, attempt, at, message)"
                + " SELECT id, prev_attempts, :now, " + LAPSE_MESSAGE.formatted("prev_owner")
                + " FROM picked WHERE prev_state = 'RUNNING')"
                + " UPDATE jobs SET " + LEASE + " FROM picked WHERE jobs.id = picked.id RETURNING jobs.*";
    }

    private static List<String> twoStatements(ClaimOrder order, String lockClause) {
        String picked = "id IN (" + pick(order, "id", lockClause) + ")";
        return List.of(
                "INSERT INTO job_errors (job_id, attempt, at, message) SELECT id, attempts, :now, "
                        + LAPSE_MESSAGE.formatted("lease_owner") + " FROM jobs WHERE state = 'RUNNING' AND " + picked,
                "UPDATE jobs SET " + LEASE + " WHERE " + picked + " RETURNING *");
    }
}
