package dev.aar.core.analysis.internal;

import dev.aar.core.analysis.FindingSink;
import dev.aar.core.analysis.ProjectView;
import dev.aar.core.analysis.SourceFile;
import dev.aar.embedding.ScoredChunk;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A {@link ProjectView} bounded by an {@link AnalysisGuard}: files over the size or line limit are
 * left out (and reported once), so are files that ran over their time budget, and walking the file
 * list checks the guard, so any analyzer, built-in or not, stops between two files when asked.
 */
public final class GuardedProjectView implements ProjectView {

    private final ProjectView delegate;
    private final AnalysisGuard guard;
    private volatile List<SourceFile> screened;

    public GuardedProjectView(ProjectView delegate, AnalysisGuard guard) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /** Returns the guard of this view's run. */
    public AnalysisGuard guard() {
        return guard;
    }

    /**
     * Sorts out the files over the size and line limits, once; each is reported to {@code findings}
     * (null: not reported, because an earlier attempt of the same job already did).
     */
    public synchronized void screen(FindingSink findings) {
        if (screened != null) {
            return;
        }
        List<SourceFile> kept = new ArrayList<>();
        Work work = guard.work();
        for (SourceFile f : delegate.files()) {
            guard.checkStop();
            String reason = null;
            if (f.sizeBytes() > guard.limits().maxFileBytes()) {
                reason = "it has " + f.sizeBytes() + " bytes, more than " + guard.limits().maxFileBytes()
                        + " (Analysis.MaxAnalyzedFileBytes)";
            } else {
                int lines = LineCounter.lines(f.text(), work);
                if (lines > guard.limits().maxFileLines()) {
                    reason = "it has " + lines + " lines, more than " + guard.limits().maxFileLines()
                            + " (Analysis.MaxAnalyzedFileLines)";
                }
            }
            if (reason == null) {
                kept.add(f);
            } else {
                guard.skip(f.path(), reason, findings);
            }
        }
        guard.counted(work);
        screened = List.copyOf(kept);
    }

    @Override
    public String projectId() {
        return delegate.projectId();
    }

    @Override
    public List<SourceFile> files() {
        if (screened == null) {
            screen(null);
        }
        List<SourceFile> live = new ArrayList<>(screened.size());
        for (SourceFile f : screened) {
            if (!guard.isSkipped(f.path())) {
                live.add(f);
            }
        }
        return new Checked(live, guard);
    }

    @Override
    public boolean isSearchable() {
        return delegate.isSearchable();
    }

    @Override
    public List<ScoredChunk> search(String query, int k) {
        guard.checkStop();
        return delegate.search(query, k);
    }

    /** A read-only file list that checks the guard on every access. */
    private static final class Checked extends AbstractList<SourceFile> implements RandomAccess {
        private final List<SourceFile> files;
        private final AnalysisGuard guard;

        Checked(List<SourceFile> files, AnalysisGuard guard) {
            this.files = files;
            this.guard = guard;
        }

        @Override
        public SourceFile get(int index) {
            guard.checkStop();
            return files.get(index);
        }

        @Override
        public int size() {
            return files.size();
        }
    }
}
