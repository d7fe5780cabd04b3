package dev.aar.core.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.analysis.DirectoryProjectView;
import dev.aar.core.analysis.Inventory;
import dev.aar.core.analysis.ModuleGraph;
import dev.aar.core.error.QuotaExceededException;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Phase;
import dev.aar.core.project.Project;
import dev.aar.core.quota.QuotaUsage;
import dev.aar.core.preflight.JobThroughput;
import dev.aar.core.report.PhaseTiming;
import dev.aar.core.report.PreflightNumbers;
import dev.aar.core.report.Report;
import dev.aar.core.report.Spend;
import dev.aar.core.worker.JobPhase;
import dev.aar.core.worker.PhaseContext;
import dev.aar.embedding.EmbeddingModel;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saving: builds the report from the earlier phases' outputs and frees the workspace; storing the
 * report and committing the quota with the tokens actually spent are deferred to the job's fenced
 * completion ({@link dev.aar.core.worker.JobContext#onCompletion}).
 */
final class SavingPhase implements JobPhase {

    private static final Logger LOG = LoggerFactory.getLogger(SavingPhase.class);
    private static final TypeReference<List<Finding>> FINDINGS = new TypeReference<>() { };

    private final JobEnvironment env;

    SavingPhase(JobEnvironment env) {
        this.env = env;
    }

    @Override
    public Phase phase() {
        return Phase.SAVING;
    }

    /** The report of a job has a fixed id, so a Saving phase that runs twice replaces rather than duplicates it. */
    static String reportId(String jobId) {
        return "report-" + jobId.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    @Override
    public void run(PhaseContext context) throws Exception {
        long started = env.clock().millis();
        AnalysisRequest request = env.request(context.job());
        Project project = env.project(request);

        JsonNode extracting = output(context, Phase.EXTRACTING);
        JsonNode indexing = output(context, Phase.INDEXING);
        JsonNode analyzing = output(context, Phase.ANALYZING);
        long tokens = indexing.path("tokens").asLong(0);
        // what was actually spent is priced by the model that ran (the offline embedder is free);
        // CostPerMillionTokens prices preflight's estimate before a model is chosen
        double cost = tokens / 1_000_000.0 * env.embedder().model().costPerMillionTokens();

        String reportId = reportId(context.job().jobId());
        Report.Builder report = Report.builder(reportId, request.projectId(), context.job().jobId())
                .projectName(project.name())
                .createdAt(env.clock().instant())
                .spend(new Spend(tokens, cost))
                .inventory(inventory(context, request, project, analyzing))
                .moduleGraph(moduleGraph(analyzing))
                .findings(env.json().convertValue(analyzing.path("findings"), FINDINGS))
                .phaseTime(Phase.EXTRACTING, Duration.ofMillis(extracting.path("millis").asLong(0)))
                .phaseTime(Phase.INDEXING, Duration.ofMillis(indexing.path("millis").asLong(0)))
                .phaseTime(Phase.ANALYZING, Duration.ofMillis(analyzing.path("millis").asLong(0)));
        if (request.preflight() != null) {
            report.preflight(request.preflight());
        }
        context.job().progress(Phase.SAVING, 0, 1, "writing the report");
        report.phaseTime(Phase.SAVING, Duration.ofMillis(env.clock().millis() - started));
        report.elapsed(Duration.ofMillis(context.jobElapsedMillis()));
        Report built = report.build();
        String jobId = context.job().jobId();
        // a measurement of work done, not part of the job's result: it stays out of the fenced step, so a
        // failing measurement store can never undo a completion (the recorder logs and goes on)
        env.throughput().record(throughput(context, built, extracting, tokens));
        // the report and the quota settlement are written by the job's fenced completion, in the same
        // step (one transaction on the JDBC backend) that marks the job succeeded: a worker that lost
        // its lease writes neither, and a cancel cannot release a reservation that was just committed
        context.job().onCompletion(() -> {
            env.reports().save(built);
            if (request.reservation() != null) {
                try {
                    env.quotas().commit(request.reservation(), new QuotaUsage(tokens, 1, 0));
                } catch (QuotaExceededException e) {
                    // the tokens are spent and the report exists: failing the job now would only lose
                    // the work, so the excess over the quota is logged rather than charged
                    LOG.warn("job {} spent more than its quota allowed: {}", jobId, e.getMessage());
                }
            }
        });
        context.result(reportId);
        context.job().progress(Phase.SAVING, 1, 1, "report " + reportId + " ready");
        // the extracted sources are not part of the result: the completion and its event do not wait
        // for 10^4 files to be deleted; a node that dies before this leaves them to sweepWorkspaces()
        context.job().afterCompletion(() -> env.workspace().delete(jobId));
    }

    private JobThroughput throughput(PhaseContext context, Report report, JsonNode extracting, long tokens) {
        long[] millis = new long[Phase.values().length];
        for (PhaseTiming t : report.phaseTimings()) {
            millis[t.phase().ordinal()] = t.millis();
        }
        PreflightNumbers estimate = report.preflight();
        double estimatedSeconds = estimate == null ? 0 : estimate.estimatedSeconds();
        EmbeddingModel model = env.embedder().model();
        return new JobThroughput(context.job().jobId(), report.createdAt(), model.name(),
                extracting.path("files").asLong(0), extracting.path("bytes").asLong(0),
                tokens, millis[Phase.EXTRACTING.ordinal()], millis[Phase.INDEXING.ordinal()],
                millis[Phase.ANALYZING.ordinal()], millis[Phase.SAVING.ordinal()], report.elapsedMillis(), estimatedSeconds);
    }

    /** The Analyzing phase's module graph, or null when its output predates the graph (the report just lacks it). */
    private ModuleGraph moduleGraph(JsonNode analyzing) {
        JsonNode kept = analyzing.path("moduleGraph");
        return kept.isObject() ? env.json().convertValue(kept, ModuleGraph.class) : null;
    }

    /**
     * The Analyzing phase's inventory; only a checkpoint written before it kept one there makes this
     * extract the sources (on a node that resumes at Saving) and scan them again.
     */
    private Inventory inventory(PhaseContext context, AnalysisRequest request, Project project, JsonNode analyzing) {
        JsonNode kept = analyzing.path("inventory");
        if (!kept.isMissingNode()) {
            return env.json().convertValue(kept, Inventory.class);
        }
        Workspace.Extracted sources = env.workspace().sources(context.job(), project);
        DirectoryProjectView view = env.view(request.projectId(), sources);
        return Inventory.of(view);
    }

    private JsonNode output(PhaseContext context, Phase phase) throws Exception {
        String json = context.outputOf(phase).orElse("{}");
        return env.json().readTree(json);
    }
}
