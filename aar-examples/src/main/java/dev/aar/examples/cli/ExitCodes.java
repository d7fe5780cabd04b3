package dev.aar.examples.cli;

import dev.aar.core.error.AarException;

/** Maps failures to the CLI's exit codes: 2 when the input was refused, 1 otherwise. */
final class ExitCodes {

    private ExitCodes() {
    }

    static int of(Throwable t) {
        if (t instanceof AarException e) {
            return e.isClientError() ? AarCli.EXIT_REFUSED : AarCli.EXIT_INTERNAL;
        }
        if (t instanceof picocli.CommandLine.ParameterException) {
            return AarCli.EXIT_REFUSED;
        }
        return AarCli.EXIT_INTERNAL;
    }

    static String describe(Throwable t) {
        if (t instanceof AarException e) {
            return e.getMessage() + " [" + e.code() + "]";
        }
        return "internal error: " + t;
    }
}
