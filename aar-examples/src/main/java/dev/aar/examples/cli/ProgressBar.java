package dev.aar.examples.cli;

import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.JobFailed;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.event.ProgressListener;
import dev.aar.core.event.ProgressUpdate;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a job's progress on one terminal line: each phase in flight (phases overlap: Indexing runs
 * beside Extracting, Analyzing beside Indexing) with its percent, items per second and ETA. When the
 * output is not a terminal it prints a line when a phase starts or completes and at most one line
 * every few seconds per phase.
 */
final class ProgressBar implements ProgressListener {

    private static final int WIDTH = 30;
    private static final int NARROW = 12;
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
    private static final double MIN_RATE_SECONDS = 1.0;

    /** What is drawn of one phase: when it started, its last update and when it was last printed. */
    private static final class Shown {
        final long started;
        ProgressUpdate last;
        long lastPlain;

        Shown(long started) {
            this.started = started;
        }
    }

    private final PrintWriter out;
    private final boolean terminal;
    private final Map<Phase, Shown> active = new EnumMap<>(Phase.class);
    private boolean drawn;

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
            active.clear();
            out.printf(Locale.ROOT, "attempt %d failed: %s; retrying at %s%n", f.attempt(), f.error(), f.retryAt());
        } else if (event instanceof JobCompleted) {
            finishLine();
            active.clear();
        }
        out.flush();
    }

    private void draw(ProgressUpdate u) {
        long now = System.nanoTime();
        Shown shown = active.computeIfAbsent(u.phase(), p -> new Shown(now));
        boolean first = shown.last == null;
        shown.last = u;
        boolean done = "completed".equals(u.message());
        if (terminal) {
            StringBuilder line = new StringBuilder();
            for (Shown s : active.values()) {
                line.append(line.length() == 0 ? "" : "  |  ").append(line(s, now, active.size() == 1 ? WIDTH : NARROW));
            }
            out.print("\r" + line + "\u001b[K");
            drawn = true;
            if (done) {
                // a completed phase keeps its final line; the phases still running go on below
                active.remove(u.phase());
                finishLine();
            }
        } else {
            if (first || done || now - shown.lastPlain >= PLAIN_INTERVAL_NANOS || u.processedFiles() == u.totalFiles()) {
                out.println(line(shown, now, WIDTH));
                shown.lastPlain = now;
            }
            if (done) {
                active.remove(u.phase());
            }
        }
    }

    private static String line(Shown s, long now, int width) {
        ProgressUpdate u = s.last;
        Phase phase = u.phase();
        double seconds = (now - s.started) / 1e9;
        // a rate over the first instants of a phase is noise (thousands of files per "second"): wait for one
        boolean rated = seconds >= MIN_RATE_SECONDS && u.processedFiles() > 0;
        double rate = rated ? u.processedFiles() / seconds : 0;
        String eta = rated && u.totalFiles() > u.processedFiles()
                ? duration((long) ((u.totalFiles() - u.processedFiles()) / rate)) : "--:--";
        // the percent the job publishes never goes back, even while a phase's total still grows
        double pct = u.progressPercent();
        int filled = (int) Math.round(width * Math.min(100, pct) / 100);
        String unit = unit(phase);
        String line = String.format(Locale.ROOT, "%-10s [%s%s] %5.1f%%  %,d/%,d %s", phase.displayName(),
                "#".repeat(filled), ".".repeat(width - filled), pct, u.processedFiles(), u.totalFiles(), unit);
        if (phase == Phase.EXTRACTING || phase == Phase.INDEXING) {
            line += rated ? String.format(Locale.ROOT, "  %,.0f %s/s  ETA %s", rate, unit, eta) : "  ETA --:--";
        }
        return line;
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
        if (terminal && drawn) {
            out.println();
        }
        drawn = false;
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
