package dev.aar.core.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.aar.core.analysis.Analyzer;
import dev.aar.core.analysis.Analyzers;
import dev.aar.core.config.AarConfig;
import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.NotFoundException;
import dev.aar.core.error.UploadSessionException;
import dev.aar.core.event.Phase;
import dev.aar.core.extract.Cancellation;
import dev.aar.core.extract.ExtractionOptions;
import dev.aar.core.index.Indexer;
import dev.aar.core.memory.InMemoryThroughputStore;
import dev.aar.core.metrics.AarMetrics;
import dev.aar.core.preflight.Approval;
import dev.aar.core.preflight.ApprovalService;
import dev.aar.core.preflight.Estimate;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.PreflightService;
import dev.aar.core.preflight.RejectionReason;
import dev.aar.core.preflight.ThroughputEstimator;
import dev.aar.core.preflight.ThroughputModel;
import dev.aar.core.preflight.ThroughputStats;
import dev.aar.core.preflight.ThroughputStore;
import dev.aar.core.preflight.TokenMode;
import dev.aar.core.project.Project;
import dev.aar.core.project.ProjectStore;
import dev.aar.core.quota.QuotaReservation;
import dev.aar.core.quota.QuotaService;
import dev.aar.core.report.PhaseTiming;
import dev.aar.core.report.PreflightNumbers;
import dev.aar.core.report.Report;
import dev.aar.core.report.ReportStore;
import dev.aar.core.upload.UploadProgress;
import dev.aar.core.upload.UploadSessionManager;
import dev.aar.core.worker.JobClient;
import dev.aar.core.worker.PhasedJobHandler;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingStore;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobRequest;
import dev.aar.queue.JobState;
import dev.aar.storage.BlobStore;
import dev.aar.storage.UploadStatus;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a host calls to run the pipeline: create a project from an upload, preflight it, approve
 * it, queue its analysis with a priority, follow the job and read the report.
 *
 * <p>Every method takes the caller's organization ({@code ownerId}); another organization's
 * project, job or report is reported as not found. The analysis itself runs in the worker pool:
 * register {@link #handler()} with it (the {@code Aar} entry point does this in {@code startWorkers()}).
 */
public final class AnalysisService {

    /** Blob key prefix of archives uploaded directly (not through an upload session). */
    public static final String ARCHIVE_PREFIX = "projects/";

    private final AarConfig config;
    private final BlobStore blobs;
    private final ProjectStore projects;
    private final UploadSessionManager uploads;
    private final JobClient jobs;
    private final QuotaService quotas;
    private final ReportStore reports;
    private final PreflightService preflight;
    private final ThroughputEstimator estimator;
    private final ApprovalService approvals;
    private final Clock clock;
    private final ObjectMapper json;
    private final PhasedJobHandler handler;
    private final Workspace workspace;
    private final PreflightCache preflights = new PreflightCache(PreflightCache.DEFAULT_CAPACITY);

    private AnalysisService(Builder b) {
        this.config = b.config;
        this.blobs = b.blobs;
        this.projects = b.projects;
        this.uploads = b.uploads;
        this.jobs = b.jobs;
        this.quotas = b.quotas;
        this.reports = b.reports;
        this.clock = b.clock;
        this.estimator = new ThroughputEstimator(config, ThroughputModel.defaults(), b.throughput,
                () -> b.embedder.model(), () -> b.jobs.queue().stats());
        this.preflight = new PreflightService(config, estimator, ExtractionOptions.defaults());
        this.approvals = new ApprovalService(projects, clock);
        this.json = JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        this.workspace = new Workspace(b.workDirectory, blobs, config.scaleLimits(), json);
        JobEnvironment env = new JobEnvironment(config, projects, b.embeddings, b.embedder, b.indexer, b.analyzers,
                reports, quotas, workspace, json, clock, new ThroughputRecorder(b.throughput, b.metrics));
        // Indexing takes files as extraction writes them; Analyzing reads the extracted tree, so it runs
        // beside Indexing unless an analyzer searches the embeddings (then it must see the whole index)
        boolean searches = b.analyzers.list().stream().anyMatch(Analyzer::usesEmbeddings);
        this.handler = PhasedJobHandler.builder(AnalysisRequest.JOB_TYPE)
                .phase(new ExtractingPhase(env))
                .phase(new IndexingPhase(env), Set.of())
                .phase(new AnalyzingPhase(env), searches ? Set.of(Phase.EXTRACTING, Phase.INDEXING) : Set.of(Phase.EXTRACTING))
                .phase(new SavingPhase(env))
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the job handler that runs analyses; register it with a worker pool. */
    public PhasedJobHandler handler() {
        return handler;
    }

    /**
     * Deletes the extracted sources that analysis jobs left in the work directory and that no job
     * will use: those of jobs the queue reports as succeeded, dead-lettered or cancelled, or does not
     * know. A job only deletes its sources when it succeeds on this node, so a node killed mid-job,
     * or whose job moved to another node, failed or was cancelled, leaves them behind; the sources of
     * queued and running jobs are kept (a resumed job extracts again anyway). {@code Aar.startWorkers()}
     * calls this before it starts the workers; returns how many job directories were deleted.
     */
    public int sweepWorkspaces() {
        try {
            return workspace.sweep(jobId -> jobs.queue().find(jobId)
                    .map(j -> j.state() == JobState.QUEUED || j.state() == JobState.RUNNING)
                    .orElse(false));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the work directory: " + e.getMessage(), e);
        }
    }

    /**
     * Stores a zip sent in one piece as a new project.
     *
     * @throws ArchiveRejectedException UPLOAD_TOO_LARGE when it is over {@code MaxUploadSizeMb} (nothing is kept)
     * @throws dev.aar.core.error.QuotaExceededException when it is over the organization's storage quota (nothing is kept)
     */
    public Project createProject(String ownerId, String name, InputStream zip) {
        return createProject(ownerId, name, zip, -1);
    }

    /**
     * Stores a zip sent in one piece as a new project, checking the organization's storage quota
     * before the first byte is read when the length is known, and while the bytes stream in.
     *
     * @param declaredLength the body's length when the client declared one ({@code Content-Length}), else -1
     * @throws ArchiveRejectedException UPLOAD_TOO_LARGE when it is over {@code MaxUploadSizeMb} (nothing is kept)
     * @throws dev.aar.core.error.QuotaExceededException when it is over the organization's storage quota (nothing is kept)
     */
    public Project createProject(String ownerId, String name, InputStream zip, long declaredLength) {
        String id = UUID.randomUUID().toString();
        String key = ARCHIVE_PREFIX + id + "/archive.zip";
        long max = config.scaleLimits().maxUploadSizeBytes();
        if (declaredLength > max) {
            throw tooLarge();
        }
        StorageQuotaStream metered = new StorageQuotaStream(zip, quotas, ownerId, declaredLength);
        long size;
        try {
            size = blobs.put(key, new CappedInputStream(metered, max));
        } catch (UncheckedIOException e) {
            metered.settle(0);
            if (e.getCause() instanceof TooLarge) {
                throw tooLarge();
            }
            if (e.getCause() instanceof StorageQuotaStream.OverQuota over) {
                throw over.exceeded;
            }
            throw e;
        } catch (RuntimeException | Error e) {
            metered.settle(0);
            throw e;
        }
        try {
            metered.settle(size);
            Project project = new Project(id, ownerId, name, key, size, null, null, null, clock.instant());
            projects.create(project);
            return project;
        } catch (RuntimeException e) {
            blobs.delete(key);
            metered.settle(0);
            throw e;
        }
    }

    private ArchiveRejectedException tooLarge() {
        return new ArchiveRejectedException(ArchiveRejectedException.Reason.UPLOAD_TOO_LARGE, null,
                "the archive is larger than ScaleLimits.MaxUploadSizeMb = " + config.scaleLimits().maxUploadSizeMb() + " MiB");
    }

    /**
     * Turns a finalized upload session into a project; the assembled file becomes its archive as is.
     *
     * @throws UploadSessionException INCOMPLETE when the session is not finalized yet
     */
    public Project createProjectFromUpload(String ownerId, String sessionId, String name) {
        UploadProgress upload = uploads.status(ownerId, sessionId);
        if (upload.status() != UploadStatus.COMPLETED) {
            throw new UploadSessionException(UploadSessionException.Reason.INCOMPLETE,
                    "upload session " + sessionId + " is " + upload.status() + "; finalize it before creating a project");
        }
        String display = name == null || name.isBlank() ? upload.session().fileName() : name;
        String id = UUID.nameUUIDFromBytes((ownerId + "/" + sessionId).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
        Optional<Project> existing = projects.find(id);
        if (existing.isPresent()) {
            return existing.get(); // the same session gives the same project: creating it again is a no-op
        }
        Project project = new Project(id, ownerId, display, upload.session().storageKey(), upload.session().totalSize(),
                null, null, null, clock.instant());
        projects.create(project);
        return project;
    }

    /** Returns one of the owner's projects. */
    public Project project(String ownerId, String projectId) {
        return projects.find(projectId).filter(p -> p.ownerId().equals(ownerId))
                .orElseThrow(() -> new NotFoundException("project", projectId));
    }

    /** Returns the owner's projects, newest first. */
    public List<Project> projects(String ownerId) {
        return projects.listByOwner(ownerId);
    }

    /**
     * Runs preflight on a project's stored archive and records whether it needs approval. The
     * archive never changes, so each mode's result is computed once and then answered from memory.
     */
    public PreflightResult preflight(String ownerId, String projectId, TokenMode mode) {
        return preflight(ownerId, projectId, mode, Cancellation.NEVER);
    }

    /** {@link #preflight(String, String, TokenMode)} that stops when {@code cancellation} fires. */
    public PreflightResult preflight(String ownerId, String projectId, TokenMode mode, Cancellation cancellation) {
        Project p = project(ownerId, projectId);
        // the counts are cached; the time estimate is not, it follows the jobs that finished since
        PreflightResult result = preflight.reestimate(preflights.get(p, mode, () -> storedPreflight(p, mode, cancellation)));
        approvals.recordPreflight(p.id(), result);
        return result;
    }

    /**
     * Preflight of a stored archive: where the store can seek in it (stored as is, or encrypted without
     * compression), through the central directory with every worker, as for a file; else as a stream on one thread.
     */
    private PreflightResult storedPreflight(Project p, TokenMode mode, Cancellation cancellation) {
        Optional<SeekableByteChannel> channel = Workspace.seekable(blobs, p.archiveKey());
        if (channel.isEmpty()) {
            return preflight.analyze(p, blobs, mode, cancellation);
        }
        try (SeekableByteChannel archive = channel.get()) {
            return preflight.analyze(archive, mode, cancellation);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive of project " + p.id() + ": " + e.getMessage(), e);
        }
    }

    /** Runs preflight on an archive stream without keeping anything. */
    public PreflightResult preflight(InputStream zip, TokenMode mode) {
        return preflight(zip, mode, Cancellation.NEVER);
    }

    /** {@link #preflight(InputStream, TokenMode)} that stops when {@code cancellation} fires. */
    public PreflightResult preflight(InputStream zip, TokenMode mode, Cancellation cancellation) {
        return preflight.analyze(zip, mode, cancellation);
    }

    /** Approves a project that preflight found above the auto-approval thresholds; records who and when. */
    public Project approve(String ownerId, String projectId, String approvedBy) {
        project(ownerId, projectId);
        return approvals.approve(projectId, approvedBy);
    }

    /**
     * Approves, as the host, a project over the auto-approval thresholds, recording who and why;
     * approving again keeps the first approval. Inspect {@link #preflight(String, String, TokenMode)} first
     * to decide.
     */
    public Project approve(String ownerId, String projectId, Approval approval) {
        Objects.requireNonNull(approval, "approval");
        project(ownerId, projectId);
        return approvals.approve(projectId, approval);
    }

    /**
     * Queues an analysis of the project. Runs preflight first if it never ran; refuses a project
     * that is over a limit or still needs approval; reserves the organization's quota.
     *
     * <p>A host whose codebases are routinely over the auto-approval thresholds either inspects
     * {@link #preflight(String, String, TokenMode)} and calls {@link #approve(String, String, Approval)},
     * or passes its approval with {@link #submit(String, String, JobPriority, Approval)}.
     *
     * @throws dev.aar.core.preflight.ApprovalRequiredException when approval is still needed
     * @throws ArchiveRejectedException when preflight refused the archive
     * @throws dev.aar.core.error.QuotaExceededException when the organization is out of projects or tokens
     */
    public Job submit(String ownerId, String projectId, JobPriority priority) {
        return submit(ownerId, projectId, priority, null);
    }

    /**
     * Queues an analysis of the project with the host's explicit {@code approval}: a project that
     * preflight finds over the auto-approval thresholds (and nobody approved yet) is approved with it,
     * who and why recorded, then queued. A project within the thresholds is queued without recording
     * the approval. Limits and quotas still apply.
     *
     * @param approval the host's decision, or null to require an earlier approval as {@link #submit(String, String, JobPriority)} does
     * @throws ArchiveRejectedException when preflight refused the archive (over a hard limit: no approval helps)
     * @throws dev.aar.core.error.QuotaExceededException when the organization is out of projects or tokens
     */
    public Job submit(String ownerId, String projectId, JobPriority priority, @Nullable Approval approval) {
        Objects.requireNonNull(priority, "priority");
        // a project's archive never changes, so a preflight already run still holds: reading a large
        // archive again would delay the job, and a refused submission repeated would inflate it every time
        PreflightResult numbers = preflights.latest(project(ownerId, projectId));
        if (numbers != null) {
            numbers = preflight.reestimate(numbers);
        } else {
            numbers = preflight(ownerId, projectId, TokenMode.FAST);
        }
        if (!numbers.isWithinLimits()) {
            RejectionReason first = numbers.rejectionReasons().get(0);
            throw new ArchiveRejectedException(reasonOf(first.code()), null,
                    "project " + projectId + " cannot be analysed: " + first.message() + " [" + first.code() + "]");
        }
        if (approval != null && numbers.requiresApproval()) {
            approvals.approve(projectId, approval);
        }
        approvals.requireQueueable(projectId);
        QuotaReservation reservation = quotas.reserveAnalysis(ownerId, numbers.estimatedTokens());
        try {
            AnalysisRequest request = new AnalysisRequest(projectId, ownerId, numbers(numbers), reservation);
            return jobs.enqueue(JobRequest.of(AnalysisRequest.JOB_TYPE, json.writeValueAsString(request), priority)
                    .withOwner(ownerId));
        } catch (JsonProcessingException | RuntimeException e) {
            quotas.release(reservation);
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    /** Returns what time estimates are currently based on: recent jobs' rates, and the cold-start model. */
    public ThroughputStats throughput() {
        return estimator.stats();
    }

    /** Returns one of the owner's analysis jobs. */
    public Optional<Job> job(String ownerId, String jobId) {
        return jobs.queue().find(jobId).filter(j -> ownerOf(j).equals(ownerId));
    }

    /** Cancels one of the owner's jobs, queued or running; returns false if it already ended. */
    public boolean cancel(String ownerId, String jobId) {
        Job job = job(ownerId, jobId).orElseThrow(() -> new NotFoundException("job", jobId));
        boolean cancelled = jobs.cancel(job.id());
        if (cancelled) {
            releaseReservation(job);
        }
        return cancelled;
    }

    /** Returns one of the owner's reports. */
    public Optional<Report> report(String ownerId, String reportId) {
        return reports.find(reportId).filter(r -> projects.find(r.projectId())
                .map(p -> p.ownerId().equals(ownerId)).orElse(false));
    }

    /** Returns the reports of one of the owner's projects, newest first. */
    public List<Report> reports(String ownerId, String projectId) {
        project(ownerId, projectId);
        return reports.listByProject(projectId);
    }

    /** Returns the id the report of {@code jobId} will have when the job succeeds. */
    public static String reportIdOf(String jobId) {
        return SavingPhase.reportId(jobId);
    }

    private String ownerOf(Job job) {
        try {
            return json.readTree(job.payload()).path("ownerId").asText("");
        } catch (JsonProcessingException e) {
            return "";
        }
    }

    private void releaseReservation(Job job) {
        try {
            AnalysisRequest request = json.readValue(job.payload(), AnalysisRequest.class);
            if (request.reservation() != null) {
                quotas.release(request.reservation());
            }
        } catch (JsonProcessingException e) {
            // not an analysis payload: nothing reserved
        }
    }

    /** Preflight's codes are {@code archive.<reason>}; the refusal keeps the same code. */
    private static ArchiveRejectedException.Reason reasonOf(String code) {
        String name = code.startsWith("archive.") ? code.substring("archive.".length()).toUpperCase(java.util.Locale.ROOT) : "";
        for (ArchiveRejectedException.Reason r : ArchiveRejectedException.Reason.values()) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return ArchiveRejectedException.Reason.UNSUPPORTED;
    }

    private static PreflightNumbers numbers(PreflightResult r) {
        Estimate e = r.estimate();
        return new PreflightNumbers((int) Math.min(Integer.MAX_VALUE, r.fileCount()), r.totalBytes(), r.estimatedTokens(),
                r.estimatedCost(), (int) Math.min(Integer.MAX_VALUE, r.estimatedProcessingTimeMinutes()),
                List.of(estimated(Phase.EXTRACTING, e.extractingSeconds()), estimated(Phase.INDEXING, e.indexingSeconds()),
                        estimated(Phase.ANALYZING, e.analyzingSeconds()), estimated(Phase.SAVING, e.savingSeconds())),
                r.estimatedProcessingTimeSeconds());
    }

    private static PhaseTiming estimated(Phase phase, double seconds) {
        return new PhaseTiming(phase, Math.round(seconds * 1000));
    }

    /** Signals that a direct upload went over the size limit; the store discards the partial blob. */
    private static final class TooLarge extends IOException {
        TooLarge(long max) {
            super("more than " + max + " bytes");
        }
    }

    /** Fails the read that would pass {@code max} bytes, so the store keeps nothing of an over-size upload. */
    private static final class CappedInputStream extends FilterInputStream {
        private final long max;
        private long read;

        CappedInputStream(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++read > max) {
                throw new TooLarge(max);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0 && (read += n) > max) {
                throw new TooLarge(max);
            }
            return n;
        }
    }

    /** Wires an {@link AnalysisService}; every component is required. */
    public static final class Builder {
        private AarConfig config = AarConfig.defaults();
        private BlobStore blobs;
        private ProjectStore projects;
        private UploadSessionManager uploads;
        private JobClient jobs;
        private QuotaService quotas;
        private ReportStore reports;
        private EmbeddingStore embeddings;
        private EmbeddingProvider embedder;
        private Indexer indexer;
        private Analyzers analyzers;
        private Path workDirectory;
        private Clock clock = Clock.systemUTC();
        private ThroughputStore throughput = new InMemoryThroughputStore();
        private AarMetrics metrics;

        private Builder() {
        }

        public Builder config(AarConfig v) { this.config = Objects.requireNonNull(v); return this; }
        public Builder blobStore(BlobStore v) { this.blobs = Objects.requireNonNull(v); return this; }
        public Builder projectStore(ProjectStore v) { this.projects = Objects.requireNonNull(v); return this; }
        public Builder uploads(UploadSessionManager v) { this.uploads = Objects.requireNonNull(v); return this; }
        public Builder jobs(JobClient v) { this.jobs = Objects.requireNonNull(v); return this; }
        public Builder quotas(QuotaService v) { this.quotas = Objects.requireNonNull(v); return this; }
        public Builder reportStore(ReportStore v) { this.reports = Objects.requireNonNull(v); return this; }
        public Builder embeddingStore(EmbeddingStore v) { this.embeddings = Objects.requireNonNull(v); return this; }
        public Builder embeddingProvider(EmbeddingProvider v) { this.embedder = Objects.requireNonNull(v); return this; }
        public Builder indexer(Indexer v) { this.indexer = Objects.requireNonNull(v); return this; }
        public Builder analyzers(Analyzers v) { this.analyzers = Objects.requireNonNull(v); return this; }
        /** Where jobs extract archives (one sub-directory per running job, deleted when it succeeds). */
        public Builder workDirectory(Path v) { this.workDirectory = Objects.requireNonNull(v); return this; }
        public Builder clock(Clock v) { this.clock = Objects.requireNonNull(v); return this; }
        /** Where finished jobs record their phases' rates (default: in memory); preflight estimates from them. */
        public Builder throughputStore(ThroughputStore v) { this.throughput = Objects.requireNonNull(v); return this; }
        /** Records {@code aar.preflight.estimate_ratio} here (optional). */
        public Builder metrics(AarMetrics v) { this.metrics = v; return this; }

        public AnalysisService build() {
            Objects.requireNonNull(blobs, "blobStore");
            Objects.requireNonNull(projects, "projectStore");
            Objects.requireNonNull(uploads, "uploads");
            Objects.requireNonNull(jobs, "jobs");
            Objects.requireNonNull(quotas, "quotas");
            Objects.requireNonNull(reports, "reportStore");
            Objects.requireNonNull(embeddings, "embeddingStore");
            Objects.requireNonNull(embedder, "embeddingProvider");
            Objects.requireNonNull(indexer, "indexer");
            Objects.requireNonNull(analyzers, "analyzers");
            Objects.requireNonNull(workDirectory, "workDirectory");
            return new AnalysisService(this);
        }
    }
}
