package dev.aar.core.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.error.NotFoundException;
import dev.aar.core.analysis.Analyzers;
import dev.aar.core.analysis.DirectoryProjectView;
import dev.aar.core.config.AarConfig;
import dev.aar.core.index.Indexer;
import dev.aar.core.project.Project;
import dev.aar.core.project.ProjectStore;
import dev.aar.core.quota.QuotaService;
import dev.aar.core.report.ReportStore;
import dev.aar.core.worker.JobContext;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingStore;
import java.io.UncheckedIOException;
import java.time.Clock;

/** What the analysis phases share: configuration, stores, the workspace and the job's request. */
record JobEnvironment(
        AarConfig config,
        ProjectStore projects,
        EmbeddingStore embeddings,
        EmbeddingProvider embedder,
        Indexer indexer,
        Analyzers analyzers,
        ReportStore reports,
        QuotaService quotas,
        Workspace workspace,
        ObjectMapper json,
        Clock clock,
        ThroughputRecorder throughput) {

    /** Reads the job's payload. */
    AnalysisRequest request(JobContext job) {
        try {
            return json.readValue(job.payload(), AnalysisRequest.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("job " + job.jobId() + " has an unreadable payload: " + e.getOriginalMessage(), e);
        }
    }

    /** Returns the job's project. */
    Project project(AnalysisRequest request) {
        return projects.find(request.projectId()).orElseThrow(() -> new NotFoundException("project", request.projectId()));
    }

    /** Returns a read-only view of the extracted sources, searchable through the project's embeddings. */
    DirectoryProjectView view(String projectId, Workspace.Extracted sources) {
        return DirectoryProjectView.builder(projectId, sources.sources())
                .limits(config.scaleLimits())
                .embeddings(embeddings, embedder)
                .build();
    }
}
