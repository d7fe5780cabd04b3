package dev.aar.core.pipeline;

import dev.aar.core.event.Phase;
import dev.aar.core.worker.JobPhase;
import dev.aar.core.worker.PhaseContext;

/**
 * Extracting: streams the stored archive into the job's workspace, keeping only indexable files, and
 * hands each file to Indexing (through the attempt's {@link ExtractionFeed}) as soon as it is written.
 */
final class ExtractingPhase implements JobPhase {

    private final JobEnvironment env;

    ExtractingPhase(JobEnvironment env) {
        this.env = env;
    }

    @Override
    public Phase phase() {
        return Phase.EXTRACTING;
    }

    @Override
    public void run(PhaseContext context) throws Exception {
        long started = env.clock().millis();
        ExtractionFeed feed = context.shared(ExtractionFeed.class, ExtractionFeed::new);
        Workspace.Extracted extracted;
        try {
            AnalysisRequest request = env.request(context.job());
            extracted = env.workspace().sources(context.job(), env.project(request), feed);
        } catch (RuntimeException | Error e) {
            feed.fail();
            throw e;
        }
        int files = (int) Math.min(Integer.MAX_VALUE, extracted.files());
        context.job().progress(Phase.EXTRACTING, files, files,
                extracted.skipped() == 0 ? null : extracted.skipped() + " entries skipped");
        context.output(env.json().createObjectNode()
                .put("files", extracted.files())
                .put("bytes", extracted.bytes())
                .put("skipped", extracted.skipped())
                .put("millis", env.clock().millis() - started)
                .toString());
    }
}
