package dev.aar.core.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aar.core.analysis.AnalysisRunner;
import dev.aar.core.analysis.DirectoryProjectView;
import dev.aar.core.analysis.Inventory;
import dev.aar.core.analysis.LayerRule;
import dev.aar.core.analysis.LayeringAnalyzer;
import dev.aar.core.analysis.ModuleGraph;
import dev.aar.core.analysis.ProjectView;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Phase;
import dev.aar.core.worker.JobPhase;
import dev.aar.core.worker.PhaseContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Analyzing: runs the registered analyzers over the extracted sources, publishing each finding as it
 * is found and checkpointing after every analyzer, so a resumed job skips the finished ones and
 * keeps their findings. The run is bounded by the analyzers' {@code AnalysisLimits} and stops inside a
 * scan when the job is cancelled or loses its lease; past its deadline the phase fails with
 * {@link dev.aar.core.error.AnalysisDeadlineException}.
 */
final class AnalyzingPhase implements JobPhase {

    private static final TypeReference<List<Finding>> FINDINGS = new TypeReference<>() { };

    private final JobEnvironment env;

    AnalyzingPhase(JobEnvironment env) {
        this.env = env;
    }

    @Override
    public Phase phase() {
        return Phase.ANALYZING;
    }

    @Override
    public void run(PhaseContext context) throws Exception {
        long started = env.clock().millis();
        AnalysisRequest request = env.request(context.job());
        Workspace.Extracted sources = env.workspace().sources(context.job(), env.project(request));
        DirectoryProjectView view = env.view(request.projectId(), sources);

        Set<String> finished = new LinkedHashSet<>();
        List<Finding> findings = Collections.synchronizedList(new ArrayList<>());
        long priorMillis = 0;
        if (context.resumeState() != null) {
            JsonNode state = env.json().readTree(context.resumeState());
            state.path("finished").forEach(id -> finished.add(id.asText()));
            findings.addAll(env.json().convertValue(state.path("findings"), FINDINGS));
            priorMillis = state.path("millis").asLong(0);
        }
        long carried = priorMillis;
        int total = env.analyzers().list().size();
        context.job().progress(Phase.ANALYZING, finished.size(), total, null);

        // give way to Indexing beside it while Indexing has a request slot and no batch to fill it with
        IndexingDemand indexing = context.shared(IndexingDemand.class, IndexingDemand::new);
        AnalysisRunner runner = new AnalysisRunner(env.analyzers(), context.job()::isCancelled, indexing::waiting);
        ProjectView bounded = runner.bound(view);
        runner.run(bounded, finished,
                finding -> {
                    findings.add(finding);
                    context.finding(finding);
                },
                run -> {
                    finished.add(run.analyzerId());
                    context.checkpointAt(finished.size(), run.analyzerId(), total,
                            state(finished, findings, carried + env.clock().millis() - started));
                    context.job().progress(Phase.ANALYZING, finished.size(), total, run.analyzerId());
                });
        context.job().throwIfCancelled();
        ObjectNode output = stateNode(finished, findings, carried + env.clock().millis() - started);
        // the view is at hand here (and the inventory analyzer, if it ran, already scanned it): the
        // Saving phase takes the inventory from this output instead of extracting and scanning again
        Inventory inventory;
        ModuleGraph graph;
        try {
            inventory = Inventory.of(bounded);
            // the dependency-cycle analyzer parsed the imports of this view already; the graph reuses that
            // parse, and marks the edges that break the rules the (enabled) layering analyzer checks
            List<LayerRule> rules = env.analyzers().find(LayeringAnalyzer.ID)
                    .filter(LayeringAnalyzer.class::isInstance).map(a -> ((LayeringAnalyzer) a).rules())
                    .orElse(List.of());
            graph = ModuleGraph.of(bounded, rules);
        } catch (RuntimeException e) {
            context.job().throwIfCancelled(); // a cancel that stopped the scan is the reason, not its unwinding
            throw e;
        }
        output.set("inventory", env.json().valueToTree(inventory));
        output.set("moduleGraph", env.json().valueToTree(graph));
        context.output(output.toString());
    }

    private String state(Set<String> finished, List<Finding> findings, long millis) {
        return stateNode(finished, findings, millis).toString();
    }

    private ObjectNode stateNode(Set<String> finished, List<Finding> findings, long millis) {
        ObjectNode node = env.json().createObjectNode();
        finished.forEach(node.putArray("finished")::add);
        synchronized (findings) {
            node.set("findings", env.json().valueToTree(findings));
        }
        node.put("millis", millis);
        return node;
    }
}
