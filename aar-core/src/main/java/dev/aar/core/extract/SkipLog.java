package dev.aar.core.extract;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Collects skips (all counted, the first N kept) and forwards them and progress to the listener, one call at a time. */
final class SkipLog {

    private final ExtractionListener listener;
    private final int keep;
    private final Map<SkipReason, Long> counts = new EnumMap<>(SkipReason.class);
    private final List<SkippedEntry> kept = new ArrayList<>();
    private long total;

    SkipLog(ExtractionListener listener, int keep) {
        this.listener = listener;
        this.keep = keep;
    }

    synchronized void skip(String path, SkipReason reason, String detail) {
        SkippedEntry e = new SkippedEntry(path, reason, detail);
        counts.merge(reason, 1L, Long::sum);
        total++;
        if (kept.size() < keep) {
            kept.add(e);
        }
        listener.onSkip(e);
    }

    synchronized void progress(ExtractionProgress p) {
        listener.onProgress(p);
    }

    synchronized void written(String path, Path location) {
        listener.onFileWritten(path, location);
    }

    synchronized long total() {
        return total;
    }

    synchronized Map<SkipReason, Long> counts() {
        return Map.copyOf(counts);
    }

    synchronized List<SkippedEntry> kept() {
        return List.copyOf(kept);
    }
}
