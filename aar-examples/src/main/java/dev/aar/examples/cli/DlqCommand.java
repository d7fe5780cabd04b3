package dev.aar.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aar dlq list|redrive}: the organization's dead-lettered jobs on a running {@code aar serve}. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Lists or re-drives the jobs that failed for good (the dead-letter queue) on an aar serve.",
        subcommands = {DlqCommand.ListJobs.class, DlqCommand.Redrive.class})
final class DlqCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code aar dlq list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the organization's dead-lettered jobs, oldest first.")
    static final class ListJobs implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Option(names = "--json", description = "print the server's JSON")
        boolean asJson;

        @Option(names = "--limit", paramLabel = "N", description = "list at most N jobs (1..1000, default 100)")
        Integer limit;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try {
                ApiClient api = server.client();
                // the server lists the caller's organization only, by owner (no window shared with others)
                JsonNode items = api.get("/api/v1/deadletters" + (limit == null ? "" : "?limit=" + limit)).get("items");
                if (asJson) {
                    out.println(api.json().writerWithDefaultPrettyPrinter().writeValueAsString(items));
                } else if (items.isEmpty()) {
                    out.println("the dead-letter queue is empty");
                } else {
                    out.printf(Locale.ROOT, "%-36s  %-36s  %-8s  %8s  %s%n", "JOB", "PROJECT", "PRIORITY", "ATTEMPTS", "LAST ERROR");
                    for (JsonNode j : items) {
                        JsonNode errors = j.path("errors");
                        String last = errors.isEmpty() ? "" : errors.get(errors.size() - 1).path("message").asText();
                        out.printf(Locale.ROOT, "%-36s  %-36s  %-8s  %8d  %s%n", j.path("jobId").asText(),
                                j.path("projectId").asText(), j.path("priority").asText(), j.path("attempts").asInt(), last);
                    }
                }
                out.flush();
                return 0;
            } catch (ApiClient.Failure f) {
                spec.commandLine().getErr().println("aar: " + f.describe());
                return f.exitCode();
            }
        }
    }

    /** {@code aar dlq redrive JOB_ID | --all}. */
    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = "Moves a dead-lettered job (or all of them) back to the queue with fresh attempts.")
    static final class Redrive implements Callable<Integer> {
        @Mixin
        ServerOptions server;

        @Parameters(index = "0", arity = "0..1", paramLabel = "JOB_ID", description = "the job to re-drive")
        String jobId;

        @Option(names = "--all", description = "re-drive every dead-lettered job of the organization")
        boolean all;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (all == (jobId != null)) {
                err.println("aar: give either a JOB_ID or --all");
                return AarCli.EXIT_REFUSED;
            }
            try {
                ApiClient api = server.client();
                if (all) {
                    out.println("re-driven: " + api.post("/api/v1/deadletters/redrive", null).path("redriven").asInt());
                } else {
                    JsonNode job = api.post("/api/v1/deadletters/" + jobId + "/redrive", null);
                    out.println("re-driven: " + job.path("jobId").asText() + " is " + job.path("state").asText());
                }
                out.flush();
                return 0;
            } catch (ApiClient.Failure f) {
                err.println("aar: " + f.describe());
                return f.exitCode();
            }
        }
    }
}
