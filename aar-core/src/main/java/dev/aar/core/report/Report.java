package dev.aar.core.report;

import dev.aar.core.analysis.Inventory;
import dev.aar.core.analysis.ModuleGraph;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The architecture review of one project by one job: what was analyzed, what it cost and what was found.
 *
 * <p>Build one with {@link #builder}, which sorts the findings with {@link #FINDING_ORDER} and
 * computes the {@link Summary}.
 *
 * @param reportId the report's id
 * @param projectId the project analyzed
 * @param projectName the project's display name, or null
 * @param jobId the job that produced it
 * @param createdAt when it was produced
 * @param preflight what preflight estimated, or null when unknown
 * @param phaseTimings how long each phase took, in phase order (phases overlap, so they may add up to
 *     more than the job took)
 * @param elapsedMillis the job's wall time from its first phase's start to its report, over every
 *     attempt; 0 when unknown (reports written before it was kept)
 * @param spend tokens and cost actually spent
 * @param inventory languages, manifests and test ratio
 * @param findings every finding; kept in {@link #FINDING_ORDER}
 * @param summary counts of the findings
 * @param moduleGraph the module dependency graph, or null (reports written before it was kept, jobs
 *     that stopped before analysis)
 */
public record Report(
        String reportId,
        String projectId,
        @Nullable String projectName,
        String jobId,
        Instant createdAt,
        @Nullable PreflightNumbers preflight,
        List<PhaseTiming> phaseTimings,
        long elapsedMillis,
        Spend spend,
        Inventory inventory,
        List<Finding> findings,
        Summary summary,
        @Nullable ModuleGraph moduleGraph) {

    /** Most severe first, then by rule, file, line and description; project-wide findings before file ones. */
    public static final Comparator<Finding> FINDING_ORDER = Comparator.comparing(Finding::severity)
            .thenComparing(Finding::rule)
            .thenComparing(Finding::file, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Finding::line, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Finding::description);

    public Report {
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(createdAt, "createdAt");
        phaseTimings = List.copyOf(Objects.requireNonNull(phaseTimings, "phaseTimings"));
        if (elapsedMillis < 0) {
            throw new IllegalArgumentException("elapsedMillis must be >= 0, was " + elapsedMillis);
        }
        Objects.requireNonNull(spend, "spend");
        Objects.requireNonNull(inventory, "inventory");
        List<Finding> sorted = new ArrayList<>(Objects.requireNonNull(findings, "findings"));
        sorted.sort(FINDING_ORDER); // renderers rely on the order, whoever built the report
        findings = List.copyOf(sorted);
        Objects.requireNonNull(summary, "summary");
    }

    /** Starts a report. */
    public static Builder builder(String reportId, String projectId, String jobId) {
        return new Builder(reportId, projectId, jobId);
    }

    /** Collects a report's parts; {@link #build()} sorts the findings and counts them. */
    public static final class Builder {
        private final String reportId;
        private final String projectId;
        private final String jobId;
        private String projectName;
        private Instant createdAt = Instant.now();
        private PreflightNumbers preflight;
        private final Map<Phase, Long> timings = new EnumMap<>(Phase.class);
        private long elapsedMillis;
        private Spend spend = Spend.NONE;
        private Inventory inventory = Inventory.empty();
        private final List<Finding> findings = new ArrayList<>();
        private ModuleGraph moduleGraph;

        private Builder(String reportId, String projectId, String jobId) {
            this.reportId = Objects.requireNonNull(reportId, "reportId");
            this.projectId = Objects.requireNonNull(projectId, "projectId");
            this.jobId = Objects.requireNonNull(jobId, "jobId");
        }

        public Builder projectName(String name) { this.projectName = name; return this; }
        public Builder createdAt(Instant at) { this.createdAt = Objects.requireNonNull(at, "createdAt"); return this; }
        public Builder preflight(PreflightNumbers numbers) { this.preflight = numbers; return this; }
        public Builder spend(Spend spend) { this.spend = Objects.requireNonNull(spend, "spend"); return this; }
        public Builder moduleGraph(ModuleGraph graph) { this.moduleGraph = graph; return this; }
        public Builder inventory(Inventory inventory) { this.inventory = Objects.requireNonNull(inventory, "inventory"); return this; }

        /** Adds {@code took} to the time recorded for {@code phase} (a resumed job runs a phase more than once). */
        public Builder phaseTime(Phase phase, Duration took) {
            timings.merge(Objects.requireNonNull(phase, "phase"), took.toMillis(), Long::sum);
            return this;
        }

        /** Sets the job's wall time over every attempt (phases that overlap count once). */
        public Builder elapsed(Duration took) {
            this.elapsedMillis = took.toMillis();
            return this;
        }

        /** Adds findings, in any order. */
        public Builder findings(List<Finding> more) {
            more.forEach(f -> findings.add(Objects.requireNonNull(f, "finding")));
            return this;
        }

        public Report build() {
            List<PhaseTiming> phases = new ArrayList<>();
            timings.forEach((p, ms) -> phases.add(new PhaseTiming(p, ms)));
            // the record sorts the findings (for every way of building one); the summary only counts
            return new Report(reportId, projectId, projectName, jobId, createdAt, preflight, phases, elapsedMillis, spend,
                    inventory,
                    findings, Summary.of(findings), moduleGraph);
        }
    }
}
