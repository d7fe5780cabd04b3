package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.queue.JobPriority;
import dev.aar.queue.JobRequest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three worker JVMs on one PostgreSQL schema; every three seconds one of them is killed with SIGKILL
 * and started again. Every job must end as designed (succeeded, or dead-lettered after three
 * failed attempts), none may be lost, and no job's effect may be applied twice.
 */
class MultiNodeQueueTest {

    static final int JOBS = 1_000;
    static final int FAILING_EVERY = 20;
    static final int NODES = 3;
    /** Kill a node once this share of the jobs is finished (the next kill at the next share). */
    static final int[] KILL_AT_PERCENT = {10, 25, 40, 55, 70, 85};
    static final long DEADLINE_MILLIS = 90_000;

    @TempDir
    Path logs;

    @Test
    void killedWorkersLoseNoJobAndApplyNoEffectTwice() throws Exception {
        try (TestDatabase db = TestDatabase.postgres(); JdbcBackend backend = db.open(Clock.systemUTC())) {
            Jdbi jdbi = Jdbi.create(db.url());
            // no unique constraint on job_id: a second effect of a job would show as a second row
            jdbi.useHandle(h -> h.execute(
                    "CREATE TABLE effects (job_id BIGINT NOT NULL, token BIGINT NOT NULL, node TEXT NOT NULL)"));
            List<JobRequest> requests = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                requests.add(JobRequest.of("effect", i % FAILING_EVERY == 0 ? "{\"n\":" + i + ",\"fail\":true}"
                        : "{\"n\":" + i + "}", JobPriority.values()[i % 4]));
            }
            backend.jobQueue().enqueueAll(requests);

            Process[] nodes = new Process[NODES];
            String[] names = new String[NODES];
            int kills = 0;
            int killedHoldingLeases = 0;
            long start = 0;
            try {
                for (int i = 0; i < NODES; i++) {
                    names[i] = "node-" + i + "-0";
                    nodes[i] = startNode(db.url(), names[i]);
                }
                start = System.currentTimeMillis();
                // kills follow progress, not the clock, and each one hits a node while it holds leases: on
                // a fast machine the jobs could otherwise all be done before the second kill was due
                int[] count = {0, 0}; // kills, kills that hit a node holding leases
                try {
                    // each poll is one step of the supervisor: it ends when every job is done
                    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMillis(DEADLINE_MILLIS))
                            .pollInterval(java.time.Duration.ofMillis(20)).until(() -> {
                                long unfinished = unfinished(jdbi);
                                int k = count[0];
                                boolean planned = k < KILL_AT_PERCENT.length && (k < 2 || count[1] == 0);
                                if (unfinished > 0 && planned
                                        && (JOBS - unfinished) * 100 >= (long) KILL_AT_PERCENT[k] * JOBS) {
                                    int victim = k % NODES;
                                    if (leasesHeldBy(jdbi, names[victim]) > 0) {
                                        nodes[victim].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                                        if (leasesHeldBy(jdbi, names[victim]) > 0) {
                                            count[1]++; // the dead node's leases can only lapse now
                                        }
                                        count[0]++;
                                        names[victim] = "node-" + victim + "-" + count[0];
                                        nodes[victim] = startNode(db.url(), names[victim]);
                                    }
                                }
                                return unfinished == 0;
                            });
                } catch (org.awaitility.core.ConditionTimeoutException late) {
                    // reported by the assertion below, with the workers' logs
                } finally {
                    kills = count[0];
                    killedHoldingLeases = count[1];
                }
            } finally {
                for (Process p : nodes) {
                    if (p != null) {
                        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                }
            }

            assertThat(unfinished(jdbi)).as("jobs not finished; worker logs in %s", logs).isZero();
            Map<String, Integer> states = jdbi.withHandle(h -> h.createQuery("""
                    SELECT CASE WHEN payload LIKE '%"fail":true%' THEN 'failing ' ELSE 'working ' END || state AS k,
                        COUNT(*) AS n FROM jobs GROUP BY 1""")
                    .reduceRows(new java.util.TreeMap<String, Integer>(), (m, r) -> {
                        m.put(r.getColumn("k", String.class), r.getColumn("n", Integer.class));
                        return m;
                    }));
            int failing = JOBS / FAILING_EVERY;
            assertThat(states).containsOnly(Map.entry("failing DEAD_LETTERED", failing),
                    Map.entry("working SUCCEEDED", JOBS - failing));
            // a failing job is dead-lettered by the attempt that fails when it is the third or later
            // (an attempt killed meanwhile counts: its lease lapsed); every attempt left an error
            assertThat(count(jdbi, "SELECT COUNT(*) FROM jobs WHERE state = 'DEAD_LETTERED' AND attempts < 3"))
                    .isZero();
            assertThat(count(jdbi, "SELECT COUNT(*) FROM jobs j WHERE state = 'DEAD_LETTERED'"
                    + " AND attempts <> (SELECT COUNT(*) FROM job_errors e WHERE e.job_id = j.id)")).isZero();
            // exactly one effect per succeeded job, none for the failing ones, each written under a
            // lease that was current then (its token is at most the completing one)
            assertThat(count(jdbi, "SELECT COUNT(*) FROM (SELECT job_id FROM effects GROUP BY job_id"
                    + " HAVING COUNT(*) > 1) twice")).as("jobs with two effects").isZero();
            assertThat(count(jdbi, "SELECT COUNT(*) FROM effects")).isEqualTo(JOBS - failing);
            assertThat(count(jdbi, "SELECT COUNT(*) FROM jobs j JOIN effects e ON e.job_id = j.id"
                    + " WHERE j.state = 'SUCCEEDED' AND e.token <= j.fencing_token")).isEqualTo(JOBS - failing);
            int lapses = count(jdbi, "SELECT COUNT(*) FROM job_errors WHERE message LIKE '%expired%'");
            int effectsOfKilledAttempts = count(jdbi, "SELECT COUNT(*) FROM jobs j JOIN effects e ON e.job_id = j.id"
                    + " WHERE e.token < j.fencing_token");
            System.out.printf("multi-node: %d jobs done in %d ms with %d kills, %d lapsed leases taken over, %d effects"
                    + " written by an attempt that was killed before completing (not applied again)%n", JOBS,
                    System.currentTimeMillis() - start, kills, lapses, effectsOfKilledAttempts);
            assertThat(kills).isGreaterThanOrEqualTo(2);
            assertThat(killedHoldingLeases).isPositive();
            assertThat(lapses).as("killed workers held leases that others took over").isPositive();
        }
    }

    private static int count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    private static long leasesHeldBy(Jdbi jdbi, String node) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM jobs WHERE state = 'RUNNING' AND lease_owner = :node")
                .bind("node", node).mapTo(Long.class).one());
    }

    private static long unfinished(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM jobs WHERE state IN ('QUEUED', 'RUNNING')")
                .mapTo(Long.class).one());
    }

    private Process startNode(String url, String name) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = logs.resolve(name + ".log").toFile();
        return new ProcessBuilder(java, "-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), QueueWorkerNode.class.getName(), url, name)
                .redirectErrorStream(true).redirectOutput(log).start();
    }
}
