package dev.aar.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.PreflightService;
import dev.aar.core.preflight.RejectionReason;
import dev.aar.core.preflight.TokenMode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code aar preflight FILE [--json] [--exact]}: what an archive would cost; exit 2 when it is not within limits. */
@Command(name = "preflight", mixinStandardHelpOptions = true,
        description = "Estimates files, bytes, tokens, cost and time for an archive without extracting it.")
final class PreflightCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the archive: .zip, .tar, .tar.gz/.tgz or .tar.xz (told apart by its content)")
    Path file;

    @Option(names = "--json", description = "print the spec's JSON instead of a summary")
    boolean json;

    @Option(names = "--exact", description = "tokenize every indexable byte instead of sampling")
    boolean exact;

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            spec.commandLine().getErr().println("aar: no such file: " + file);
            return AarCli.EXIT_REFUSED;
        }
        PreflightResult r = new PreflightService(config.load()).analyze(file, exact ? TokenMode.EXACT : TokenMode.FAST);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
        } else {
            out.printf(Locale.ROOT, "files:     %,d indexable%n", r.fileCount());
            out.printf(Locale.ROOT, "bytes:     %,d%n", r.totalBytes());
            out.printf(Locale.ROOT, "tokens:    %,d (%s)%n", r.estimatedTokens(), exact ? "exact" : "estimated");
            out.printf(Locale.ROOT, "cost:      %.4f%n", r.estimatedCost());
            out.printf(Locale.ROOT, "time:      about %d min%n", r.estimatedProcessingTimeMinutes());
            out.printf(Locale.ROOT, "approval:  %s%n", r.requiresApproval() ? "required" : "not required");
            out.printf(Locale.ROOT, "limits:    %s%n", r.isWithinLimits() ? "within limits" : "REFUSED");
        }
        out.flush();
        for (RejectionReason reason : r.rejectionReasons()) {
            spec.commandLine().getErr().println("aar: " + reason.message() + " [" + reason.code() + "]");
        }
        return r.isWithinLimits() ? 0 : AarCli.EXIT_REFUSED;
    }
}
