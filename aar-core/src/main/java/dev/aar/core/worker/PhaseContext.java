package dev.aar.core.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.event.Finding;
import dev.aar.core.event.FindingUpdate;
import dev.aar.core.event.Phase;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link JobPhase} gets: where to resume, a per-file hook that reports progress and saves a
 * checkpoint every {@code CheckpointIntervalFiles} files, findings, outputs of earlier phases, and
 * objects shared with the phases running beside it in the same attempt.
 *
 * <p>Each phase has its own context and its own cursor in the checkpoint, so phases that run together
 * resume each from where it stopped. The per-file and checkpoint methods may be called from several
 * threads of the same phase (one at a time).
 */
public final class PhaseContext {

    private final AttemptContext job;
    private final Phase phase;
    private final PhaseState state;
    private final int resumeProcessedFiles;
    private final String resumeLastFile;
    private final String resumeState;
    private int processedFiles;
    private String lastFile;

    PhaseContext(AttemptContext job, Phase phase, PhaseState state) {
        this.job = job;
        this.phase = phase;
        this.state = state;
        PhaseState.Cursor resume = state.cursor(phase);
        this.resumeProcessedFiles = resume == null ? 0 : resume.processed();
        this.resumeLastFile = resume == null ? null : resume.lastFile();
        this.resumeState = resume == null ? null : resume.stateJson();
        this.processedFiles = resumeProcessedFiles;
        this.lastFile = resumeLastFile;
    }

    /**
     * Returns the job this phase belongs to (payload, cancellation, events). It counts as cancelled also
     * when a phase running beside this one failed, and its progress never goes back within a phase.
     */
    public JobContext job() {
        return job;
    }

    /** Returns this phase. */
    public Phase phase() {
        return phase;
    }

    /** Returns how many files of this phase an earlier attempt finished (0 on a fresh start). */
    public int resumeProcessedFiles() {
        return resumeProcessedFiles;
    }

    /** Returns the last file an earlier attempt finished in this phase, or null. */
    public @Nullable String resumeLastProcessedFile() {
        return resumeLastFile;
    }

    /** Returns the phase's own JSON state saved with the last checkpoint of this phase, or null. */
    public @Nullable String resumeState() {
        return resumeState;
    }

    /** Returns whether {@code other} has completed, in this attempt or an earlier one. */
    public boolean isCompleted(Phase other) {
        return state.isCompleted(other);
    }

    /**
     * Returns the object of {@code type} that the phases of this attempt share, made by {@code create}
     * for the first phase that asks (a hand-off between phases that run together, say).
     */
    public <T> T shared(Class<T> type, Supplier<T> create) {
        return job.shared(type, create);
    }

    /** Returns the job's wall time so far, over every attempt (what earlier attempts checkpointed plus this one). */
    public long jobElapsedMillis() {
        return state.elapsedMillis();
    }

    /** Returns how many files of this phase are done, counting those of earlier attempts. */
    public synchronized int processedFiles() {
        return processedFiles;
    }

    /** Records a finished file: reports progress and checkpoints every {@code CheckpointIntervalFiles} files. */
    public void fileProcessed(String path, int totalFiles) {
        fileProcessed(path, totalFiles, () -> null);
    }

    /**
     * Records a finished file like {@link #fileProcessed(String, int)}; {@code phaseState} supplies
     * the phase's own JSON state when a checkpoint is due (read back through {@link #resumeState()}).
     */
    public synchronized void fileProcessed(String path, int totalFiles, Supplier<String> phaseState) {
        job.throwIfCancelled();
        processedFiles++;
        lastFile = path;
        job.progress(phase, processedFiles, totalFiles, null);
        if (processedFiles % job.checkpointIntervalFiles() == 0) {
            checkpoint(totalFiles, phaseState.get());
        }
    }

    /**
     * Saves a checkpoint for a phase that tracks its own position (an indexer's cursor, say): records
     * {@code processed} files done with {@code last} as the last one, then saves like {@link #checkpoint}.
     */
    public synchronized void checkpointAt(int processed, String last, int totalFiles, String phaseState) {
        processedFiles = processed;
        lastFile = last;
        checkpoint(totalFiles, phaseState);
    }

    /** Saves a checkpoint of this phase now, with the phase's own JSON state (or null). */
    public synchronized void checkpoint(int totalFiles, @Nullable String phaseState) {
        state.save(job, phase, lastFile, processedFiles, totalFiles, phaseState);
    }

    /** Publishes a finding of this job; findings are never dropped on the way to listeners. */
    public void finding(Finding finding) {
        job.publish(new FindingUpdate(job.projectId(), job.jobId(), finding));
    }

    /** Sets this phase's output (JSON), kept in the checkpoint once the phase completes. */
    public void output(String json) {
        state.setOutput(phase, json);
    }

    /** Returns the output an earlier phase set, even if it completed in an earlier attempt. */
    public Optional<String> outputOf(Phase earlier) {
        return state.output(earlier).map(JsonNode::toString);
    }

    /** Sets the id the job returns (the report's id for an analysis). */
    public void result(String id) {
        state.setResult(id);
    }
}
