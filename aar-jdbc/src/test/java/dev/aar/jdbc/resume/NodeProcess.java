package dev.aar.jdbc.resume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ResumeNode} in its own JVM, started with the test's classpath; its output goes to a file.
 * The JDBC URL must already have a query string (the node's {@code ApplicationName} is appended).
 */
final class NodeProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final String applicationName;
    private final Path output;
    private final Path data;

    private NodeProcess(String name, String applicationName, Process process, Path output, Path data) {
        this.name = name;
        this.applicationName = applicationName;
        this.process = process;
        this.output = output;
        this.data = data;
    }

    /** Starts node {@code name} with its own data directory under {@code dir} and the shared {@code blobs}. */
    static NodeProcess start(String name, String jdbcUrl, Path blobs, Path dir, long delayMillis) throws IOException {
        return start(name, jdbcUrl, blobs, dir, delayMillis, -1);
    }

    /** Like {@link #start(String, String, Path, Path, long)}; the node's embedder hangs after {@code stallAfterInputs} inputs (-1: never). */
    static NodeProcess start(String name, String jdbcUrl, Path blobs, Path dir, long delayMillis, long stallAfterInputs)
            throws IOException {
        Path data = Files.createDirectories(dir.resolve(name + "-data"));
        Path output = dir.resolve(name + ".out");
        // tags the node's PostgreSQL sessions, so a test can wait until a killed node's last statement is over
        String applicationName = "aar-node-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // surefire may run tests from a manifest-only jar; its property holds the real test classpath
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath, ResumeNode.class.getName(),
                jdbcUrl + "&ApplicationName=" + applicationName, blobs.toString(), data.toString(), Long.toString(delayMillis),
                Long.toString(stallAfterInputs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new NodeProcess(name, applicationName, process, output, data);
    }

    String name() {
        return name;
    }

    /** The {@code application_name} of the node's PostgreSQL sessions ({@code pg_stat_activity}). */
    String applicationName() {
        return applicationName;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The content hash of every text this node embedded, in request order. */
    List<String> embeddedHashes() throws IOException {
        return lines(data.resolve(ResumeNode.EMBEDDED_LOG));
    }

    /** The file of every chunk this node stored, in order. */
    List<String> storedFiles() throws IOException {
        return lines(data.resolve(ResumeNode.STORED_LOG));
    }

    private static List<String> lines(Path log) throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** Kills the JVM with SIGKILL: no shutdown hook, no lease release, nothing flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
        }
    }

    /** What the node printed, for failure messages. */
    String output() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asks the node to stop (closes its stdin) and kills it if it has not stopped within 30 s. */
    @Override
    public void close() throws Exception {
        if (!process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    @Override
    public String toString() {
        return "node " + name + " (pid " + process.pid() + ")";
    }
}
