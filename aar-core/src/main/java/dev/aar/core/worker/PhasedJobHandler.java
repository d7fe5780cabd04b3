package dev.aar.core.worker;

import dev.aar.core.event.Phase;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link JobHandler} made of ordered {@link JobPhase}s that resumes where the last attempt stopped.
 *
 * <p>After each phase but the last it saves a checkpoint listing the completed phases and their outputs; a
 * resumed attempt skips completed phases and hands the interrupted phase its last checkpoint
 * (files done, last file, the phase's own state). The analysis job plugs its Extracting,
 * Indexing, Analyzing and Saving phases in here.
 */
public final class PhasedJobHandler implements JobHandler {

    private final String type;
    private final List<JobPhase> phases;

    private PhasedJobHandler(String type, List<JobPhase> phases) {
        this.type = type;
        this.phases = List.copyOf(phases);
    }

    /** Starts a handler for jobs of {@code type}. */
    public static Builder builder(String type) {
        return new Builder(type);
    }

    @Override
    public String type() {
        return type;
    }

    /** Returns the phases, in the order they run. */
    public List<JobPhase> phases() {
        return phases;
    }

    @Override
    public String handle(JobContext context) throws Exception {
        PhaseState state = PhaseState.from(context.checkpoint());
        for (int i = 0; i < phases.size(); i++) {
            JobPhase phase = phases.get(i);
            if (state.isCompleted(phase.phase())) {
                continue;
            }
            context.throwIfCancelled();
            phase.run(new PhaseContext(context, phase.phase(), state));
            context.throwIfCancelled();
            if (i + 1 < phases.size()) {
                state.complete(context, phase.phase(), phases.get(i + 1).phase());
            }
            // no checkpoint after the last phase: its results are written by the fenced completion
            // (JobContext.onCompletion), and if that fails, the retry must run the last phase again
        }
        return state.result();
    }

    @Override
    public String toString() {
        return "PhasedJobHandler[" + type + ", " + phases.stream().map(p -> p.phase().displayName()).toList() + "]";
    }

    /** Collects the phases of a {@link PhasedJobHandler}, in running order. */
    public static final class Builder {
        private final String type;
        private final List<JobPhase> phases = new ArrayList<>();
        private final Set<Phase> seen = EnumSet.noneOf(Phase.class);

        private Builder(String type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        /** Appends a phase; each {@link Phase} may appear once. */
        public Builder phase(JobPhase phase) {
            Objects.requireNonNull(phase, "phase");
            if (!seen.add(phase.phase())) {
                throw new IllegalArgumentException("phase " + phase.phase().displayName() + " added twice");
            }
            phases.add(phase);
            return this;
        }

        public PhasedJobHandler build() {
            if (phases.isEmpty()) {
                throw new IllegalStateException("a phased handler needs at least one phase");
            }
            return new PhasedJobHandler(type, phases);
        }
    }
}
