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
 * Draws a job's progress on one terminal line: phase, percent, files per second and ETA. When the
 * output is not a terminal it prints a line per phase and at most one line every few seconds.
 */
final class ProgressBar implements ProgressListener {

    private static final int WIDTH = 30;
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;

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
        double seconds = Math.max(1e-3, (now - phaseStarted) / 1e9);
        double rate = u.processedFiles() / seconds;
        String eta = rate > 0 && u.totalFiles() > u.processedFiles()
                ? duration((long) ((u.totalFiles() - u.processedFiles()) / rate)) : "--:--";
        double pct = u.totalFiles() <= 0 ? u.progressPercent() : 100.0 * u.processedFiles() / u.totalFiles();
        int filled = (int) Math.round(WIDTH * Math.min(100, pct) / 100);
        String unit = unit(phase);
        String line = String.format(Locale.ROOT, "%-10s [%s%s] %5.1f%%  %,d/%,d %s  %,.0f %s/s  ETA %s",
                phase.displayName(), "#".repeat(filled), ".".repeat(WIDTH - filled), pct, u.processedFiles(),
                u.totalFiles(), unit, rate, unit, eta);
        if (terminal) {
            out.print("\r" + line);
        } else if (lastPlain == 0 || now - lastPlain >= PLAIN_INTERVAL_NANOS || u.processedFiles() == u.totalFiles()) {
            out.println(line);
            lastPlain = now;
        }
    }

    private void finishLine() {
        if (terminal && phase != null) {
            out.println();
        }
        phase = null;
    }

    /** What a phase counts: archive entries, files, analyzers, or steps. */
    static String unit(Phase phase) {
        return switch (phase) {
            case EXTRACTING -> "entries";
            case INDEXING -> "files";
            case ANALYZING -> "analyzers";
            case SAVING -> "steps";
        };
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
