package dev.aar.jdbc.resume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.Aar;
import dev.aar.core.event.Phase;
import dev.aar.core.pipeline.AnalysisService;
import dev.aar.core.project.Project;
import dev.aar.core.report.Report;
import dev.aar.core.testing.RequiredService;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.queue.Checkpoint;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's multi-node scenario on real processes and a real PostgreSQL: node A (its own JVM) is
 * killed with SIGKILL in the middle of indexing; node B (another JVM) takes the job over when A's
 * lease lapses, resumes from A's last checkpoint, and the project ends with exactly the chunks an
 * uninterrupted run stores, B having embedded at most {@code CheckpointIntervalFiles} files more
 * than what was left.
 */
class MultiNodeResumeTest {

    private static final String OWNER = "org-resume";
    private static final int FILES = 400;
    /** A is killed once its checkpoint covers this many files, so B has real work to skip. */
    private static final int KILL_AFTER_FILES = FILES / 4;
    /** Per embedding request on the nodes, so indexing moves in observable steps (A cannot finish anyway: it stalls). */
    private static final long NODE_DELAY_MILLIS = 40;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private record ChunkKey(String chunkId, String contentHash) {
    }

    private record Outcome(List<ChunkKey> chunks, long reportedTokens) {
    }

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void aNodeKilledMidIndexingIsResumedByAnotherFromItsCheckpoint() throws Exception {
        RequiredService.requirePostgres();
        Path zip = writeProject(dir.resolve("project.zip"));

        Outcome reference;
        try (TestSchema schema = TestSchema.create()) {
            reference = uninterruptedRun(schema.url(), zip);
        }
        List<ChunkKey> uninterrupted = reference.chunks();
        assertThat(uninterrupted).hasSizeGreaterThan(FILES); // some files have several chunks

        Path blobs = dir.resolve("blobs");
        try (TestSchema schema = TestSchema.create();
                Aar client = ResumeNode.open(schema.url(), blobs, dir.resolve("client"), 0);
                // A hangs once it embedded three quarters of the chunks: its checkpoint at a quarter of the files
                // comes first, and it can never finish before it is killed, however the threads are scheduled
                NodeProcess a = NodeProcess.start("a", schema.url(), blobs, dir, NODE_DELAY_MILLIS,
                        uninterrupted.size() * 3L / 4)) {
            long t0 = System.nanoTime();
            Project project = createProject(client, zip);
            String jobId = client.analysis().submit(OWNER, project.id(), JobPriority.NORMAL).id();

            await("node A checkpoints " + KILL_AFTER_FILES + " indexed files",
                    () -> indexingCheckpoint(client, jobId, KILL_AFTER_FILES).isPresent(),
                    () -> "job " + Collaborators.of(client).jobQueue().find(jobId) + "\n" + a.output(),
                    () -> !a.isAlive() || Collaborators.of(client).jobQueue().find(jobId).map(j -> j.state().isTerminal()).orElse(true));
            assertThat(sessions(schema.url(), a.applicationName())).as("A's database sessions are tagged").isPositive();
            a.kill();
            long killedAt = System.nanoTime();
            // a statement A sent just before dying may still be running on the server: wait until its sessions are gone
            await("node A's database sessions end", () -> sessions(schema.url(), a.applicationName()) == 0,
                    () -> "sessions of " + a.applicationName() + " still open", () -> false);

            // A and its sessions are gone: this is the checkpoint B resumes from
            Checkpoint resumeFrom = indexingCheckpoint(client, jobId, 1).orElseThrow();
            int checkpointed = resumeFrom.processedFileCount();
            int remainder = resumeFrom.totalFileCount() - checkpointed;
            assertThat(remainder).as("files left when A was killed (A must die mid-indexing)").isPositive();

            try (NodeProcess b = NodeProcess.start("b", schema.url(), blobs, dir, NODE_DELAY_MILLIS)) {
                await("node B finishes the job",
                        () -> Collaborators.of(client).jobQueue().find(jobId).map(j -> j.state() == JobState.SUCCEEDED).orElse(false),
                        () -> "job " + Collaborators.of(client).jobQueue().find(jobId) + "\n--- A ---\n" + a.output() + "\n--- B ---\n"
                                + b.output(),
                        () -> !b.isAlive() || Collaborators.of(client).jobQueue().find(jobId)
                                .map(j -> j.state() == JobState.DEAD_LETTERED || j.state() == JobState.CANCELLED)
                                .orElse(true));
                long doneAt = System.nanoTime();

                // A's claim, then B's (more only if B itself lost its lease on a starved machine and resumed again)
                Job done = Collaborators.of(client).jobQueue().find(jobId).orElseThrow();
                assertThat(done.attempts()).isGreaterThanOrEqualTo(2);

                List<ChunkKey> resumed = chunks(schema.url(), project.id());
                assertThat(resumed).as("no chunk stored twice").doesNotHaveDuplicates();
                assertThat(resumed).as("the chunks of an uninterrupted run, no more, no less")
                        .containsExactlyInAnyOrderElementsOf(uninterrupted);
                Report report = client.analysis().report(OWNER, AnalysisService.reportIdOf(jobId)).orElseThrow();
                // each chunk's tokens are counted at most once; what A spent after its last checkpoint is not counted
                assertThat(report.spend().tokens()).isPositive().isLessThanOrEqualTo(reference.reportedTokens());

                // the indexer walks the files in the archive's order (extraction hands them over as it writes
                // them, on every node in the same order); the checkpoint covers the first `checkpointed`
                Map<String, String> fileOfHash = filesByHash(schema.url(), project.id());
                List<String> ordered = archiveOrder();
                assertThat(ordered).containsExactlyInAnyOrderElementsOf(new TreeSet<>(fileOfHash.values()));
                assertThat(ordered).hasSize(resumeFrom.totalFileCount());
                assertThat(ordered.get(checkpointed - 1)).isEqualTo(resumeFrom.lastProcessedFile());
                Set<String> afterCheckpoint = Set.copyOf(ordered.subList(checkpointed, ordered.size()));

                assertThat(new HashSet<>(b.storedFiles())).as("B re-indexes exactly the files after A's checkpoint")
                        .isEqualTo(afterCheckpoint);
                Set<String> embeddedByB = files(b.embeddedHashes(), fileOfHash);
                assertThat(embeddedByB).as("B embeds at most one checkpoint interval more than what was left")
                        .isNotEmpty()
                        .isSubsetOf(afterCheckpoint)
                        .hasSizeLessThanOrEqualTo(remainder + ResumeNode.CHECKPOINT_INTERVAL_FILES);
                Set<String> embeddedByEither = new HashSet<>(a.embeddedHashes());
                embeddedByEither.addAll(b.embeddedHashes());
                assertThat(embeddedByEither).as("every stored chunk was embedded by A or B")
                        .containsAll(fileOfHash.keySet());

                // B deleted its copy of the sources; A's stays until A's node starts its workers again
                assertThat(dir.resolve("b-data").resolve("work").resolve(jobId)).doesNotExist();
                assertThat(dir.resolve("a-data").resolve("work").resolve(jobId)).isDirectory();
                try (Aar restartedA = ResumeNode.open(schema.url(), blobs, dir.resolve("a-data"), 0)) {
                    assertThat(restartedA.analysis().sweepWorkspaces()).isEqualTo(1);
                }
                assertThat(dir.resolve("a-data").resolve("work").resolve(jobId)).doesNotExist();

                Set<String> storedByA = new HashSet<>(a.storedFiles());
                System.out.printf("multi-node resume: %d files, %d chunks; A killed %.1f s after submit with its"
                                + " checkpoint at %d files (A had stored chunks of %d files, embedded %d);"
                                + " B re-indexed %d files and embedded %d; job done %.1f s after the kill;"
                                + " report: %d tokens (uninterrupted: %d)%n",
                        ordered.size(), resumed.size(), (killedAt - t0) / 1e9, checkpointed, storedByA.size(),
                        files(a.embeddedHashes(), fileOfHash).size(), afterCheckpoint.size(), embeddedByB.size(),
                        (doneAt - killedAt) / 1e9, report.spend().tokens(), reference.reportedTokens());
            }
        }
    }

    /** Runs the analysis in this JVM with nobody killed, in its own schema; returns its chunks and reported tokens. */
    private Outcome uninterruptedRun(String url, Path zip) throws Exception {
        try (Aar aar = ResumeNode.open(url, dir.resolve("reference-blobs"), dir.resolve("reference"), 0)) {
            aar.startWorkers();
            Project project = createProject(aar, zip);
            String jobId = aar.analysis().submit(OWNER, project.id(), JobPriority.NORMAL).id();
            await("the uninterrupted run succeeds",
                    () -> Collaborators.of(aar).jobQueue().find(jobId).map(j -> j.state() == JobState.SUCCEEDED).orElse(false),
                    () -> "job " + Collaborators.of(aar).jobQueue().find(jobId),
                    () -> Collaborators.of(aar).jobQueue().find(jobId).map(j -> j.state() == JobState.DEAD_LETTERED).orElse(true));
            long tokens = aar.analysis().report(OWNER, AnalysisService.reportIdOf(jobId)).orElseThrow().spend().tokens();
            return new Outcome(chunks(url, project.id()), tokens);
        }
    }

    private static Project createProject(Aar aar, Path zip) throws IOException {
        try (InputStream in = Files.newInputStream(zip)) {
            return aar.analysis().createProject(OWNER, "resume-sample", in);
        }
    }

    private static Optional<Checkpoint> indexingCheckpoint(Aar client, String jobId, int atLeastFiles) {
        return Collaborators.of(client).checkpointStore().find(jobId)
                .filter(c -> c.phase().equals(Phase.INDEXING.displayName()) && c.processedFileCount() >= atLeastFiles);
    }

    private static int sessions(String url, String applicationName) {
        return Jdbi.create(url).withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = :n")
                .bind("n", applicationName).mapTo(Integer.class).one());
    }

    private static List<ChunkKey> chunks(String url, String projectId) {
        return Jdbi.create(url).withHandle(h -> h.createQuery(
                        "SELECT chunk_id, content_hash FROM chunks WHERE project_id = :p")
                .bind("p", projectId)
                .map((rs, ctx) -> new ChunkKey(rs.getString(1), rs.getString(2)))
                .list());
    }

    /** Content hash to file; the generated files share no text, so each hash belongs to one file. */
    private static Map<String, String> filesByHash(String url, String projectId) {
        return Jdbi.create(url).withHandle(h -> h.createQuery(
                        "SELECT content_hash, file FROM chunks WHERE project_id = :p")
                .bind("p", projectId)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list())
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static Set<String> files(List<String> hashes, Map<String, String> fileOfHash) {
        return hashes.stream().map(fileOfHash::get).filter(f -> f != null).collect(Collectors.toSet());
    }

    /**
     * Polls {@code done} every 50 ms for up to {@link #PATIENCE}; fails at once, with {@code details},
     * when {@code hopeless} turns true (a node died, the job was dead-lettered).
     */
    private static void await(String what, BooleanSupplier done, Supplier<String> details, BooleanSupplier hopeless)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.getAsBoolean()) {
            if (hopeless.getAsBoolean() && !done.getAsBoolean()) {
                throw new AssertionError(what + ": cannot happen any more\n" + details.get());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + PATIENCE + "\n" + details.get());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Writes a zip of {@value #FILES} small Java files with distinct contents; every 40th is long
     * enough for several chunks, so a file is only done once all its chunks are stored.
     */
    private static Path writeProject(Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            List<String> paths = archiveOrder();
            for (int i = 0; i < FILES; i++) {
                z.putNextEntry(new ZipEntry(paths.get(i)));
                z.write(source(i / 20, i).getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return zip;
    }

    /** The project's files in the order the archive holds them (not sorted: Class10 comes after Class9). */
    private static List<String> archiveOrder() {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            paths.add("sample/src/main/java/dev/sample/p" + (i / 20) + "/Class" + i + ".java");
        }
        return paths;
    }

    private static String source(int pkg, int i) {
        StringBuilder s = new StringBuilder()
                .append("package dev.sample.p").append(pkg).append(";\n\n")
                .append("/** Sample class ").append(i).append(". */\n")
                .append("public class Class").append(i).append(" {\n")
                .append("    private final int seed = ").append(i * 7919 % 1000).append(";\n");
        int methods = i % 40 == 0 ? 60 : 2;
        for (int m = 0; m < methods; m++) {
            s.append("\n    public int compute").append(m).append("(int x) {\n")
                    .append("        int acc = x + seed;\n")
                    .append("        for (int k = 0; k < ").append(m + i % 13).append("; k++) {\n")
                    .append("            acc = acc * 31 + k;\n")
                    .append("        }\n")
                    .append("        return acc;\n")
                    .append("    }\n");
        }
        return s.append("}\n").toString();
    }
}
