package dev.aar.core.worker;

import dev.aar.core.error.JobCancelledException;
import dev.aar.core.event.Phase;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A {@link JobHandler} made of {@link JobPhase}s that resumes where the last attempt stopped.
 *
 * <p>Each phase starts once the phases it runs after have completed, so phases may run together (on
 * a thread each): the analysis job indexes the files extraction has written while it writes the
 * rest, and analyzes the extracted tree while indexing goes on. After each phase but the last, a
 * checkpoint lists the completed phases and their outputs; every phase still running keeps its own
 * cursor in the checkpoint (files done, last file, the phase's own state), so a resumed attempt skips
 * completed phases and hands each interrupted one its own last checkpoint.
 *
 * <p>When a phase fails, the phases running beside it are stopped (their job counts as cancelled)
 * and the attempt fails with the first failure; a phase that only stopped because of it does not
 * hide it. Each phase publishes a {@code ProgressUpdate} "started" when it starts (in running order)
 * and one "completed" at 100% once its completion is checkpointed.
 */
public final class PhasedJobHandler implements JobHandler {

    private final String type;
    private final List<JobPhase> phases;
    private final Map<Phase, Set<Phase>> after;

    private PhasedJobHandler(String type, List<JobPhase> phases, Map<Phase, Set<Phase>> after) {
        this.type = type;
        this.phases = List.copyOf(phases);
        this.after = after;
    }

    /** Starts a handler for jobs of {@code type}. */
    public static Builder builder(String type) {
        return new Builder(type);
    }

    @Override
    public String type() {
        return type;
    }

    /** Returns the phases, in the order they start. */
    public List<JobPhase> phases() {
        return phases;
    }

    /** Returns the phases that must complete before {@code phase} starts. */
    public Set<Phase> after(Phase phase) {
        Set<Phase> a = after.get(phase);
        if (a == null) {
            throw new IllegalArgumentException("no phase " + phase.displayName() + " in " + this);
        }
        return Set.copyOf(a);
    }

    @Override
    public String handle(JobContext context) throws Exception {
        List<Phase> order = phases.stream().map(JobPhase::phase).toList();
        return new Attempt(PhaseState.from(context.checkpoint(), order), context).run();
    }

    @Override
    public String toString() {
        return "PhasedJobHandler[" + type + ", " + phases.stream().map(p -> p.phase().displayName()).toList() + "]";
    }

    /** One attempt: starts phases as their predecessors complete and waits for all of them. */
    private final class Attempt {
        private record Ended(JobPhase phase, Throwable failure) {
        }

        private final PhaseState state;
        private final JobContext owner;
        private final AttemptContext job;
        private final BlockingQueue<Ended> ended = new LinkedBlockingQueue<>();
        private final Map<Phase, Thread> running = new EnumMap<>(Phase.class);
        private final Set<Phase> done = EnumSet.noneOf(Phase.class);
        private Throwable failure;
        private boolean interrupted;

        Attempt(PhaseState state, JobContext owner) {
            this.state = state;
            this.owner = owner;
            this.job = new AttemptContext(owner);
            for (JobPhase p : phases) {
                if (state.isCompleted(p.phase())) {
                    done.add(p.phase());
                }
            }
        }

        String run() throws Exception {
            try {
                while (true) {
                    if (failure == null && !job.isCancelled()) {
                        try {
                            startReady();
                        } catch (RuntimeException | Error e) {
                            // the phases already running must still be stopped and waited for
                            failed(null, e);
                        }
                    }
                    if (running.isEmpty()) {
                        break;
                    }
                    Ended e = next();
                    running.remove(e.phase().phase());
                    settle(e);
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failure instanceof Exception ex) {
                throw ex;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            job.throwIfCancelled(); // a stop before every phase had started
            return state.result();
        }

        private void startReady() {
            for (JobPhase p : phases) {
                Phase phase = p.phase();
                if (done.contains(phase) || running.containsKey(phase) || !done.containsAll(after.get(phase))) {
                    continue;
                }
                PhaseContext ctx = new PhaseContext(job, phase, state);
                PhaseState.Cursor resume = state.cursor(phase);
                job.started(phase, resume == null ? 0 : resume.processed(), resume == null ? 0 : resume.total());
                Thread t = new Thread(() -> {
                    Throwable thrown = null;
                    try {
                        p.run(ctx);
                    } catch (Throwable x) {
                        thrown = x;
                    }
                    ended.add(new Ended(p, thrown));
                }, "aar-" + phase.displayName().toLowerCase(Locale.ROOT) + "-" + job.jobId());
                t.setDaemon(true);
                running.put(phase, t);
                t.start();
            }
        }

        private Ended next() {
            while (true) {
                try {
                    return ended.take();
                } catch (InterruptedException e) {
                    // the worker is told to stop: so are the phases, and they are waited for
                    interrupted = true;
                    job.stop("the worker was interrupted");
                    running.values().forEach(Thread::interrupt);
                }
            }
        }

        private void settle(Ended e) {
            Phase phase = e.phase().phase();
            Throwable thrown = e.failure();
            if (thrown == null) {
                try {
                    // a phase that finished is recorded even when another has just failed (its work is kept
                    // for the retry); only a cancel or a lost lease of the job itself discards it
                    owner.throwIfCancelled();
                    // no checkpoint after the last phase: its results are written by the fenced completion
                    // (JobContext.onCompletion), and if that fails, the retry must run the last phase again
                    if (e.phase() != phases.get(phases.size() - 1)) {
                        state.complete(job, phase);
                    }
                    done.add(phase);
                    job.completed(phase);
                    return;
                } catch (RuntimeException | Error x) {
                    thrown = x;
                }
            }
            failed(phase, thrown);
        }

        /** Records a failure ({@code phase} null: starting a phase failed) and stops the phases still running. */
        private void failed(Phase phase, Throwable thrown) {
            if (failure == null) {
                failure = thrown;
            } else if (failure instanceof JobCancelledException && !(thrown instanceof JobCancelledException)) {
                // the first phase to end may only have been stopped by the real failure's stop
                thrown.addSuppressed(failure);
                failure = thrown;
            } else if (!(thrown instanceof JobCancelledException) && failure != thrown) {
                failure.addSuppressed(thrown);
            }
            job.stop(phase == null ? "a phase could not start" : phase.displayName() + " failed");
        }
    }

    /** Collects the phases of a {@link PhasedJobHandler}, in starting order. */
    public static final class Builder {
        private final String type;
        private final List<JobPhase> phases = new ArrayList<>();
        private final Map<Phase, Set<Phase>> after = new LinkedHashMap<>();

        private Builder(String type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        /** Appends a phase that starts once every phase added before it has completed; each {@link Phase} may appear once. */
        public Builder phase(JobPhase phase) {
            Objects.requireNonNull(phase, "phase");
            return phase(phase, after.isEmpty() ? Set.of() : EnumSet.copyOf(after.keySet()));
        }

        /**
         * Appends a phase that starts once the phases in {@code after} (added before it) have completed,
         * running beside any other phase that has started; an empty set starts it with the first.
         */
        public Builder phase(JobPhase phase, Set<Phase> after) {
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(after, "after");
            if (this.after.containsKey(phase.phase())) {
                throw new IllegalArgumentException("phase " + phase.phase().displayName() + " added twice");
            }
            for (Phase p : after) {
                if (!this.after.containsKey(p)) {
                    throw new IllegalArgumentException("phase " + phase.phase().displayName() + " runs after "
                            + p.displayName() + ", which is not added before it");
                }
            }
            phases.add(phase);
            this.after.put(phase.phase(), after.isEmpty() ? EnumSet.noneOf(Phase.class) : EnumSet.copyOf(after));
            return this;
        }

        public PhasedJobHandler build() {
            if (phases.isEmpty()) {
                throw new IllegalStateException("a phased handler needs at least one phase");
            }
            Phase last = phases.get(phases.size() - 1).phase();
            Set<Phase> others = EnumSet.copyOf(after.keySet());
            others.remove(last);
            if (!after.get(last).containsAll(others)) {
                // its completion is not checkpointed (the fenced completion writes its results), so it must end the job
                throw new IllegalStateException("the last phase, " + last.displayName() + ", must run after every other");
            }
            return new PhasedJobHandler(type, phases, Map.copyOf(after));
        }
    }
}
