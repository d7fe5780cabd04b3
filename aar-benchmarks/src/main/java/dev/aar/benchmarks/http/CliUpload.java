package dev.aar.benchmarks.http;

import dev.aar.examples.cli.AarCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The shipped client: {@code aar upload FILE --server URL --key K} run in this JVM through the CLI's
 * own command line, so its part reading, checksums, HTTP client and retries are exactly what users run
 * (without a JVM start, which {@code HttpUploadBenchmark} includes).
 */
final class CliUpload {

    private final URI server;
    private final Path stateDirectory;

    CliUpload(URI server, Path stateDirectory) {
        this.server = server;
        this.stateDirectory = stateDirectory;
    }

    /** The command line, with the key shown as {@code $K}. */
    String describe(Path file) {
        return "aar upload " + file + " --server " + server + " --key $K --name bench --state-dir " + stateDirectory;
    }

    /** Uploads {@code file} and returns the created project's id; fails unless the command exits 0. */
    String run(Path file, String key) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = AarCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("upload", file.toString(), "--server", server.toString(), "--key", key, "--name", "bench",
                "--state-dir", stateDirectory.toString());
        if (exit != 0) {
            throw new IllegalStateException("aar upload exited " + exit + ": " + err);
        }
        return out.toString().trim();
    }
}
