package dev.aar.examples.cli;

import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.JobFailed;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.event.ProgressListener;
import dev.aar.core.event.ProgressUpdate;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Draws a job's progress on one terminal line: phase, percent, items per second and ETA. When the
 * output is not a terminal it prints a line per phase and at most one line every few seconds.
 */
final class ProgressBar implements ProgressListener {

    private static final int WIDTH = 30;
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
    private static final double MIN_RATE_SECONDS = 1.0;

    private final PrintWriter out;
    private final boolean terminal;
    private Phase phase;
    private long phaseStarted;
    private long lastPlain;

    ProgressBar(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void onEvent(ProgressEvent event) {
        if (event instanceof ProgressUpdate u) {
            draw(u);
        } else if (event instanceof JobFailed f) {
            finishLine();
            out.printf(Locale.ROOT, "attempt %d failed: %s; retrying at %s%n", f.attempt(), f.error(), f.retryAt());
        } else if (event instanceof JobCompleted) {
            finishLine();
        }
        out.flush();
    }

    private void draw(ProgressUpdate u) {
        long now = System.nanoTime();
        if (u.phase() != phase) {
            finishLine();
            phase = u.phase();
            phaseStarted = now;
            lastPlain = 0;
        }
        double seconds = (now - phaseStarted) / 1e9;
        // a rate over the first instants of a phase is noise (thousands of files per "second"): wait for one
        boolean rated = seconds >= MIN_RATE_SECONDS && u.processedFiles() > 0;
        double rate = rated ? u.processedFiles() / seconds : 0;
        String eta = rated && u.totalFiles() > u.processedFiles()
                ? duration((long) ((u.totalFiles() - u.processedFiles()) / rate)) : "--:--";
        double pct = u.totalFiles() <= 0 ? u.progressPercent() : 100.0 * u.processedFiles() / u.totalFiles();
        int filled = (int) Math.round(WIDTH * Math.min(100, pct) / 100);
        String unit = unit(phase);
        String line = String.format(Locale.ROOT, "%-10s [%s%s] %5.1f%%  %,d/%,d %s", phase.displayName(),
                "#".repeat(filled), ".".repeat(WIDTH - filled), pct, u.processedFiles(), u.totalFiles(), unit);
        if (phase == Phase.EXTRACTING || phase == Phase.INDEXING) {
            line += rated ? String.format(Locale.ROOT, "  %,.0f %s/s  ETA %s", rate, unit, eta) : "  ETA --:--";
        }
        if (terminal) {
            out.print("\r" + line);
        } else if (lastPlain == 0 || now - lastPlain >= PLAIN_INTERVAL_NANOS || u.processedFiles() == u.totalFiles()) {
            out.println(line);
            lastPlain = now;
        }
    }

    /** What a phase counts: Analyzing counts analyzers and Saving its steps, not files. */
    static String unit(Phase phase) {
        return switch (phase) {
            case EXTRACTING -> "entries";
            case ANALYZING -> "analyzers";
            case SAVING -> "steps";
            default -> "files";
        };
    }

    private void finishLine() {
        if (terminal && phase != null) {
            out.println();
        }
        phase = null;
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
