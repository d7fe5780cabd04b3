package dev.aar.examples.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** Draws bytes transferred on one terminal line (percent, MiB/s, ETA); off a terminal, a line every few seconds. */
final class TransferBar {

    private static final int WIDTH = 30;
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final String label;
    private final long total;
    private final long started = System.nanoTime();
    private final long alreadyDone;
    private long done;
    private long lastPlain;

    TransferBar(PrintWriter out, boolean terminal, String label, long total, long alreadyDone) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
        this.total = total;
        this.alreadyDone = alreadyDone;
        this.done = alreadyDone;
    }

    synchronized void add(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        double rate = (done - alreadyDone) / seconds;
        String eta = rate > 0 ? ProgressBar.duration((long) ((total - done) / rate)) : "--:--";
        double pct = total == 0 ? 100 : 100.0 * done / total;
        int filled = (int) Math.round(WIDTH * Math.min(100, pct) / 100);
        String line = String.format(Locale.ROOT, "%-10s [%s%s] %5.1f%%  %,.1f/%,.1f MiB  %,.1f MiB/s  ETA %s", label,
                "#".repeat(filled), ".".repeat(WIDTH - filled), pct, done / 1048576.0, total / 1048576.0,
                rate / 1048576.0, eta);
        if (terminal) {
            out.print("\r" + line);
        } else if (lastPlain == 0 || now - lastPlain >= PLAIN_INTERVAL_NANOS || done >= total) {
            out.println(line);
            lastPlain = now;
        }
        out.flush();
    }

    synchronized void finish() {
        if (terminal) {
            out.println();
            out.flush();
        }
    }
}
