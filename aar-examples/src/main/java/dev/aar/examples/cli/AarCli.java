package dev.aar.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code aar} command line: {@code java -jar aar-examples/target/aar.jar <command>}.
 *
 * <p>Exit codes: 0 success, 2 input refused (bad archive, over a limit, bad arguments),
 * 1 internal error.
 */
@Command(name = "aar",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Takes codebases through the AAR pipeline: preflight, extraction, indexing, analysis.",
        subcommands = {
            CommandLine.HelpCommand.class,
            PreflightCommand.class,
            ExtractCommand.class,
            AnalyzeCommand.class,
            SearchCommand.class,
            ServeCommand.class,
            UploadCommand.class,
            DlqCommand.class,
            DbCommand.class,
            KeysCommand.class,
            QuotaCommand.class,
        })
public final class AarCli implements Runnable {

    /** Exit code when the input was refused. */
    public static final int EXIT_REFUSED = 2;
    /** Exit code for an internal error. */
    public static final int EXIT_INTERNAL = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with the project's exit-code conventions. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new AarCli());
        cli.setExitCodeExceptionMapper(ExitCodes::of);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("aar: " + ExitCodes.describe(ex));
            return ExitCodes.of(ex);
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
