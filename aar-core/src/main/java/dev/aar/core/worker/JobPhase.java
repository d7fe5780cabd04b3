package dev.aar.core.worker;

import dev.aar.core.event.Phase;

/** One resumable step of a {@link PhasedJobHandler}, such as extraction or indexing. */
public interface JobPhase {

    /** Returns which pipeline phase this is; events and checkpoints carry its name. */
    Phase phase();

    /**
     * Runs the phase, or the rest of it when {@link PhaseContext#resumeProcessedFiles()} is not 0:
     * files up to that count were done before the job stopped and must be skipped.
     */
    void run(PhaseContext context) throws Exception;
}
