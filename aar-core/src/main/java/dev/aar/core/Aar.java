package dev.aar.core;

import dev.aar.core.analysis.AnalysisConfig;
import dev.aar.core.analysis.Analyzers;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.StoragePolicy;
import dev.aar.core.error.ConfigException;
import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.aar.core.embedding.ResilientEmbeddingProvider;
import dev.aar.core.event.EventDispatcher;
import dev.aar.core.event.ProgressListener;
import dev.aar.core.index.Indexer;
import dev.aar.core.internal.FileTrees;
import dev.aar.core.memory.InMemoryCheckpointStore;
import dev.aar.core.memory.InMemoryEmbeddingStore;
import dev.aar.core.memory.InMemoryJobQueue;
import dev.aar.core.memory.InMemoryProjectStore;
import dev.aar.core.memory.InMemoryQuotaStore;
import dev.aar.core.memory.InMemoryThroughputStore;
import dev.aar.core.memory.InMemoryUploadSessionStore;
import dev.aar.core.metrics.AarMetrics;
import dev.aar.core.pipeline.AnalysisService;
import dev.aar.core.pipeline.Housekeeping;
import dev.aar.core.project.ProjectStore;
import dev.aar.core.quota.QuotaLimits;
import dev.aar.core.quota.QuotaService;
import dev.aar.core.preflight.ThroughputStore;
import dev.aar.core.quota.QuotaStore;
import dev.aar.core.resilience.EmbeddingPipeline;
import dev.aar.core.resilience.OpenAiPipeline;
import dev.aar.core.resilience.PipelineRegistry;
import dev.aar.core.resilience.ResilientBlobStore;
import dev.aar.core.report.BlobReportStore;
import dev.aar.core.report.ReportStore;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.storage.PolicyBlobStore;
import dev.aar.core.storage.StorageKeyFile;
import dev.aar.core.storage.RetentionSweeper;
import dev.aar.core.worker.JobClient;
import dev.aar.core.worker.JobHandler;
import dev.aar.core.worker.WorkerPool;
import dev.aar.core.upload.UploadSessionManager;
import dev.aar.core.upload.UploadSessionSweeper;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingStore;
import dev.aar.queue.CheckpointStore;
import dev.aar.queue.JobQueue;
import dev.aar.storage.BlobStore;
import dev.aar.storage.UploadSessionStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK, wired: a configuration and one backend per SPI.
 *
 * <p>Backends are given explicitly to the {@link Builder}; any not given falls back to its
 * embedded default (files under {@link Builder#dataDirectory(Path)}, in-memory stores). {@link #close()}
 * closes what the builder created (and deletes the data directory if the builder made a temporary
 * one) and leaves backends the host passed in open, since the host owns them; resources handed
 * over with {@link Builder#closeWith(AutoCloseable)} are closed last.
 *
 * <p>The configuration holds for every backend, the host's as much as the defaults: the builder puts
 * the {@code StoragePolicy} (encryption, compression) and the {@code BlobStoragePipeline} around any
 * blob store, and the {@code EmbeddingPipeline} ({@code OpenAiPipeline} for the OpenAI provider) with
 * the {@code EmbeddingProcessing} limits around any embedding provider; instances that already carry a
 * layer do not get it twice. A host opts out of a layer explicitly with {@link Builder#skip(Layer, String)},
 * and the start-up log says so (see {@code docs/embedding.md}).
 *
 * <pre>{@code
 * try (Aar aar = Aar.builder().config(ConfigLoader.fromSystemEnvironment().load(path)).build()) {
 *     ...
 * }
 * }</pre>
 */
public final class Aar implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Aar.class);

    private final AarConfig config;
    private final BlobStore blobStore;
    private final UploadSessionStore uploadSessionStore;
    private final CheckpointStore checkpointStore;
    private final EmbeddingStore embeddingStore;
    private final QuotaStore quotaStore;
    private final ProjectStore projectStore;
    private final MeterRegistry meterRegistry;
    private final List<ProgressListener> listeners;
    private final Deque<AutoCloseable> owned;
    private final JobQueue jobQueue;
    private final EventDispatcher events;
    private final AarMetrics metrics;
    private final JobClient jobs;
    private final QuotaService quotaService;
    private final UploadSessionManager uploadSessionManager;
    private final EmbeddingProvider embeddingProvider;
    private final Indexer indexer;
    private final ReportStore reportStore;
    private final AnalysisService analysis;
    private final PipelineRegistry pipelines;

    /** A layer the builder puts around a backend to keep a promise of the configuration; see {@link Builder#skip}. */
    public enum Layer {
        /** {@code StoragePolicy} encryption and compression at rest, around the blob store ({@link PolicyBlobStore}). */
        STORAGE_POLICY,
        /** The {@code BlobStoragePipeline}'s retries and attempt timeout, around the blob store ({@link ResilientBlobStore}). */
        BLOB_STORAGE_PIPELINE,
        /**
         * The {@code EmbeddingPipeline} (or {@code OpenAiPipeline}) with the {@code EmbeddingProcessing} token
         * budget, around the embedding provider ({@link ResilientEmbeddingProvider}).
         */
        EMBEDDING_PIPELINE
    }

    private Aar(Builder b, Deque<AutoCloseable> owned) {
        this.config = b.config;
        this.blobStore = b.blobStore;
        this.uploadSessionStore = b.uploadSessionStore;
        this.checkpointStore = b.checkpointStore;
        this.embeddingStore = b.embeddingStore;
        this.quotaStore = b.quotaStore;
        this.projectStore = b.projectStore;
        this.meterRegistry = b.meterRegistry;
        this.pipelines = b.pipelines;
        this.listeners = List.copyOf(b.listeners);
        this.owned = owned;
        this.jobQueue = b.jobQueue;
        this.events = b.events;
        this.metrics = b.metrics;
        this.jobs = new JobClient(jobQueue, events, metrics, Clock.systemUTC());
        var limits = config.scaleLimits();
        this.quotaService = new QuotaService(quotaStore, Clock.systemUTC(), QuotaLimits.ofConfigured(
                limits.defaultMonthlyTokenLimit(), limits.defaultMonthlyProjectLimit(), limits.defaultStorageLimitBytes()));
        this.uploadSessionManager = UploadSessionManager.builder().blobStore(blobStore).sessionStore(uploadSessionStore)
                .config(config).quotaService(quotaService).build();
        this.embeddingProvider = b.embeddingProvider;
        this.indexer = Indexer.builder(embeddingProvider, embeddingStore).embeddingProcessing(config.embeddingProcessing())
                .checkpointIntervalFiles(config.workerProcessing().checkpointIntervalFiles()).meterRegistry(meterRegistry)
                .build();
        this.reportStore = b.reportStore;
        this.analysis = AnalysisService.builder().config(config).blobStore(blobStore).projectStore(projectStore)
                .uploads(uploadSessionManager).jobs(jobs).quotas(quotaService).reportStore(reportStore)
                .embeddingStore(embeddingStore).embeddingProvider(embeddingProvider).indexer(indexer)
                .analyzers(b.analyzers).workDirectory(b.workDirectory)
                .throughputStore(b.throughputStore).metrics(metrics).build();
    }

    /** Starts wiring an instance. */
    public static Builder builder() {
        return new Builder();
    }

    public AarConfig config() {
        return config;
    }

    /** Returns the blob store as the SDK uses it: the host's or the default, with the storage policy and pipeline unless skipped. */
    public BlobStore blobStore() {
        return blobStore;
    }

    public UploadSessionStore uploadSessionStore() {
        return uploadSessionStore;
    }

    public CheckpointStore checkpointStore() {
        return checkpointStore;
    }

    public EmbeddingStore embeddingStore() {
        return embeddingStore;
    }

    public QuotaStore quotaStore() {
        return quotaStore;
    }

    public ProjectStore projectStore() {
        return projectStore;
    }

    /** Returns reserve-then-commit accounting over the quota store. */
    public QuotaService quotaService() {
        return quotaService;
    }

    /** Returns the resumable-upload manager over the blob store and upload-session store, charging storage quotas. */
    public UploadSessionManager uploadSessionManager() {
        return uploadSessionManager;
    }

    /** Returns where reports are kept (by default JSON, HTML and Markdown in the blob store). */
    public ReportStore reportStore() {
        return reportStore;
    }

    /**
     * Returns the pipeline's host API: projects, preflight, approval, queueing analyses, reports.
     * Analyses run once workers run them: call {@link #startWorkers()} in at least one process.
     */
    public AnalysisService analysis() {
        return analysis;
    }

    /**
     * Starts the worker pool that runs analysis jobs ({@code MaxConcurrentJobs} at a time); closed by {@link #close()}.
     * First deletes sources that finished or unknown jobs left in the work directory ({@link AnalysisService#sweepWorkspaces()}).
     */
    public WorkerPool startWorkers() {
        try {
            int swept = analysis.sweepWorkspaces();
            if (swept > 0) {
                log.info("deleted the work directories of {} finished or unknown jobs", swept);
            }
        } catch (RuntimeException e) {
            // stale directories cost disk space, not correctness: start the workers anyway
            log.warn("could not sweep the work directory: {}", e.toString());
        }
        return workers(analysis.handler());
    }

    /**
     * Starts the periodic clean-up ({@link Housekeeping}: expired upload sessions, projects past
     * {@code StoragePolicy.RetentionDays} with their embeddings and reports, succeeded and cancelled
     * jobs older than the same retention, finished jobs' work directories) every {@link Housekeeping#DEFAULT_INTERVAL}; closed by {@link #close()}. Safe to
     * run on every node of a cluster.
     */
    public Housekeeping startHousekeeping() {
        return startHousekeeping(Housekeeping.DEFAULT_INTERVAL);
    }

    /** Like {@link #startHousekeeping()}, every {@code interval}. */
    public Housekeeping startHousekeeping(Duration interval) {
        Housekeeping housekeeping = housekeeping().interval(interval).build().start();
        synchronized (owned) {
            owned.push(housekeeping);
        }
        return housekeeping;
    }

    /** Returns a housekeeping builder wired to this instance's stores and config; the host starts and closes it. */
    public Housekeeping.Builder housekeeping() {
        RetentionSweeper retention = new RetentionSweeper(projectStore, blobStore, config.storagePolicy(), quotaService,
                project -> {
                    embeddingStore.deleteProject(project.id());
                    reportStore.deleteProject(project.id());
                });
        // a finished job is kept as long as project data: its status stays answerable for as long as its report
        Duration jobRetention = Duration.ofDays(config.storagePolicy().retentionDays());
        return Housekeeping.builder().uploads(UploadSessionSweeper.builder(uploadSessionManager).build())
                .retention(retention).finishedJobs(jobQueue, jobRetention).analysis(analysis);
    }

    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    public JobQueue jobQueue() {
        return jobQueue;
    }

    /** Returns the event dispatcher: publish events, or subscribe listeners at run time (an SSE client). */
    public EventDispatcher events() {
        return events;
    }

    /** Returns the SDK's meters, registered in {@link #meterRegistry()}. */
    public AarMetrics metrics() {
        return metrics;
    }

    /** Returns the client that enqueues and cancels jobs, counting and announcing them. */
    public JobClient jobs() {
        return jobs;
    }

    /** Returns the provider that embeds chunks: the host's or the offline default, behind its embedding pipeline unless skipped. */
    public EmbeddingProvider embeddingProvider() {
        return embeddingProvider;
    }

    /**
     * Returns the indexer wired to this instance: {@link #embeddingProvider()} into {@link #embeddingStore()},
     * with the {@code EmbeddingProcessing} section, {@code CheckpointIntervalFiles} and {@link #meterRegistry()}.
     * For other settings use {@link Indexer#builder}.
     */
    public Indexer indexer() {
        return indexer;
    }

    /**
     * Starts a {@link WorkerPool} running {@code handlers} with this instance's queue, checkpoint
     * store, events, metrics and {@code WorkerProcessing} config; {@link #close()} shuts it down
     * gracefully, or the host may close it earlier. For other settings use {@link #workerPool()}.
     */
    public WorkerPool workers(JobHandler... handlers) {
        WorkerPool pool = workerPool().handlers(handlers).build().start();
        jobs.tellOnCancel(pool); // a cancel through analysis() reaches a job running here at once
        synchronized (owned) {
            owned.push(pool);
        }
        return pool;
    }

    /** Returns a worker pool builder wired to this instance; the host starts and closes the pool. */
    public WorkerPool.Builder workerPool() {
        return WorkerPool.builder(jobQueue).config(config.workerProcessing()).checkpointStore(checkpointStore)
                .events(events).metrics(metrics);
    }

    /**
     * Returns the named resilience pipelines ({@code EmbeddingPipeline}, {@code OpenAiPipeline},
     * {@code BlobStoragePipeline}) that the wrapped backends use, for host code that calls the same
     * services: {@code aar.pipelines().get(EmbeddingPipeline.NAME).execute(() -> ...)}. Their metrics
     * are in {@link #meterRegistry()}.
     */
    public PipelineRegistry pipelines() {
        return pipelines;
    }

    /** Returns the registered listeners, in registration order. */
    public List<ProgressListener> listeners() {
        return listeners;
    }

    /** Closes, in reverse order of creation, everything the builder created; never the host's own backends. */
    @Override
    public void close() {
        RuntimeException first = null;
        while (!owned.isEmpty()) {
            AutoCloseable c;
            synchronized (owned) {
                c = owned.pop();
            }
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed", c, e);
                if (first == null) {
                    first = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Wires an {@link Aar}; every backend not set explicitly gets its embedded default. */
    public static final class Builder {
        private AarConfig config = AarConfig.defaults();
        private Path dataDirectory;
        private BlobStore blobStore;
        private UploadSessionStore uploadSessionStore;
        private CheckpointStore checkpointStore;
        private EmbeddingStore embeddingStore;
        private QuotaStore quotaStore;
        private ThroughputStore throughputStore;
        private ProjectStore projectStore;
        private MeterRegistry meterRegistry;
        private EmbeddingProvider embeddingProvider;
        private ReportStore reportStore;
        private Analyzers analyzers;
        private Path workDirectory;
        private final List<ProgressListener> listeners = new ArrayList<>();
        private final List<AutoCloseable> handedOver = new ArrayList<>();
        private boolean built;
        /** What {@link #build()} has created so far, for the helpers it calls. */
        private Deque<AutoCloseable> created;
        private JobQueue jobQueue;
        private EventDispatcher events;
        private AarMetrics metrics;
        private PipelineRegistry pipelines;
        private String embeddingPipeline;
        private final Map<Layer, String> skipped = new EnumMap<>(Layer.class);

        private Builder() {
        }

        /**
         * Hands {@code resource} (a connection pool made for this instance, say) to the instance: it is
         * closed by {@link Aar#close()} after everything the builder created, or at once if
         * {@link #build()} fails. May be called several times; resources close in reverse order.
         */
        public Builder closeWith(AutoCloseable resource) {
            handedOver.add(Objects.requireNonNull(resource, "resource"));
            return this;
        }

        /** Uses this configuration (default: {@link AarConfig#defaults()}). */
        public Builder config(AarConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Where the embedded defaults keep files (default: a new temporary directory). */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
            return this;
        }

        /**
         * Stores archives, parts and reports here (default: files under the data directory). The
         * builder wraps it in the {@code StoragePolicy} and the {@code BlobStoragePipeline} (unless
         * {@link #skip skipped}); without a configured {@code StoragePolicy.EncryptionKey} the key is
         * kept in {@code storage.key} of the {@link #dataDirectory(Path) data directory}, which must then
         * be set. The host closes the store.
         */
        public Builder blobStore(BlobStore blobStore) {
            this.blobStore = Objects.requireNonNull(blobStore, "blobStore");
            return this;
        }

        /** Tracks upload sessions here (default: in memory). */
        public Builder uploadSessionStore(UploadSessionStore store) {
            this.uploadSessionStore = Objects.requireNonNull(store, "uploadSessionStore");
            return this;
        }

        /** Keeps job checkpoints here (default: in memory). */
        public Builder checkpointStore(CheckpointStore store) {
            this.checkpointStore = Objects.requireNonNull(store, "checkpointStore");
            return this;
        }

        /** Keeps chunk vectors here (default: in memory). */
        public Builder embeddingStore(EmbeddingStore store) {
            this.embeddingStore = Objects.requireNonNull(store, "embeddingStore");
            return this;
        }

        /**
         * Keeps what finished jobs measured, from which preflight estimates time (default: in memory, so
         * estimates start from the configured model after every restart; {@code JdbcBackend} keeps them in the database).
         */
        public Builder throughputStore(ThroughputStore store) {
            this.throughputStore = Objects.requireNonNull(store, "throughputStore");
            return this;
        }

        /** Keeps organization quotas here (default: in memory). */
        public Builder quotaStore(QuotaStore store) {
            this.quotaStore = Objects.requireNonNull(store, "quotaStore");
            return this;
        }

        /** Records projects here (default: in memory). */
        public Builder projectStore(ProjectStore store) {
            this.projectStore = Objects.requireNonNull(store, "projectStore");
            return this;
        }

        /** Keeps reports here (default: report.json/.html/.md in the blob store). */
        public Builder reportStore(ReportStore store) {
            this.reportStore = Objects.requireNonNull(store, "reportStore");
            return this;
        }

        /** Runs these analyzers (default: the built-in ones with {@link AnalysisConfig#defaults()}). */
        public Builder analyzers(Analyzers analyzers) {
            this.analyzers = Objects.requireNonNull(analyzers, "analyzers");
            return this;
        }

        /** Where running jobs extract archives (default: {@code work/} under the data directory). */
        public Builder workDirectory(Path directory) {
            this.workDirectory = Objects.requireNonNull(directory, "workDirectory");
            return this;
        }

        /** Records metrics here (default: a {@link SimpleMeterRegistry}). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /**
         * Embeds chunks with this provider; the host closes it. The builder wraps it in a
         * {@link ResilientEmbeddingProvider} over the shared {@code EmbeddingPipeline} ({@code OpenAiPipeline}
         * for {@code dev.aar.azure.OpenAiEmbeddingProvider}, or the one named with {@link #embeddingPipeline})
         * with the {@code EmbeddingProcessing} token budget and encoding, unless it is one already or the
         * layer is {@link #skip skipped}. Default: the same around an {@link OfflineEmbeddingProvider}.
         */
        public Builder embeddingProvider(EmbeddingProvider provider) {
            this.embeddingProvider = Objects.requireNonNull(provider, "embeddingProvider");
            return this;
        }

        /**
         * Names the pipeline put around the host's embedding provider (default {@value EmbeddingPipeline#NAME},
         * or {@value OpenAiPipeline#NAME} for the OpenAI provider).
         */
        public Builder embeddingPipeline(String name) {
            this.embeddingPipeline = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Opts out of putting {@code layer} around the host's backend: the backend is used as given for
         * that concern, and the start-up log says so with {@code reason}. For a backend that does the
         * same itself (a store encrypting on the server with a managed key, a provider with its own
         * retries); the embedded defaults always get every layer.
         */
        public Builder skip(Layer layer, String reason) {
            Objects.requireNonNull(layer, "layer");
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("skipping " + layer + " needs a reason for the start-up log");
            }
            skipped.put(layer, reason);
            return this;
        }

        /** Queues jobs here (default: an {@link InMemoryJobQueue}). */
        public Builder jobQueue(JobQueue queue) {
            this.jobQueue = Objects.requireNonNull(queue, "jobQueue");
            return this;
        }

        /** Adds a listener for pipeline events; may be called several times. */
        public Builder listener(ProgressListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Wires the instance; fails if a default cannot be created (for example, an unwritable data directory). */
        public Aar build() {
            if (built) {
                // build() fills the unset backends in; a second instance would share (and not own) them
                throw new IllegalStateException("this builder has already built an Aar; use a new Aar.builder()");
            }
            built = true;
            Deque<AutoCloseable> owned = new ArrayDeque<>();
            created = owned;
            handedOver.forEach(owned::push);
            try {
                if (meterRegistry == null) {
                    SimpleMeterRegistry registry = new SimpleMeterRegistry();
                    meterRegistry = registry;
                    owned.push(registry::close);
                }
                pipelines = pipelines();
                owned.push(pipelines);
                if (blobStore == null) {
                    FileSystemBlobStore files = FileSystemBlobStore.open(dataDirectory().resolve("blobs"));
                    owned.push(files);
                    blobStore = PolicyBlobStore.wrap(ResilientBlobStore.wrap(files, pipelines), embeddedStoragePolicy());
                } else {
                    blobStore = wrapHostBlobStore(blobStore);
                }
                if (uploadSessionStore == null) {
                    uploadSessionStore = new InMemoryUploadSessionStore();
                }
                if (checkpointStore == null) {
                    checkpointStore = new InMemoryCheckpointStore();
                }
                if (embeddingStore == null) {
                    embeddingStore = new InMemoryEmbeddingStore();
                }
                if (quotaStore == null) {
                    quotaStore = new InMemoryQuotaStore();
                }
                if (projectStore == null) {
                    projectStore = new InMemoryProjectStore();
                }
                if (jobQueue == null) {
                    jobQueue = new InMemoryJobQueue();
                    owned.push(jobQueue);
                }
                if (embeddingProvider == null) {
                    embeddingProvider = ResilientEmbeddingProvider.builder(OfflineEmbeddingProvider.create())
                            .pipeline(pipelines.pipeline(EmbeddingPipeline.NAME))
                            .tokenEncoding(config.embeddingProcessing().tokenEncoding()).build();
                    owned.push(embeddingProvider);
                } else {
                    embeddingProvider = wrapHostEmbeddingProvider(embeddingProvider);
                }
                if (throughputStore == null) {
                    throughputStore = new InMemoryThroughputStore();
                }
                if (reportStore == null) {
                    reportStore = new BlobReportStore(blobStore);
                }
                if (analyzers == null) {
                    analyzers = Analyzers.builtIn(AnalysisConfig.defaults());
                }
                if (workDirectory == null) {
                    workDirectory = dataDirectory().resolve("work");
                }
                events = EventDispatcher.of(listeners);
                owned.push(events);
                metrics = new AarMetrics(meterRegistry);
                metrics.bindQueue(jobQueue);
                log.debug("wired AAR with {} and config {}", blobStore, config);
                return new Aar(this, owned);
            } catch (RuntimeException e) {
                while (!owned.isEmpty()) {
                    try {
                        owned.pop().close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }

        /** The spec's three pipelines, the embedding ones with the {@code EmbeddingProcessing} token budget. */
        private PipelineRegistry pipelines() {
            PipelineRegistry registry = PipelineRegistry.ofDefaults(meterRegistry);
            // the limiter counts permits in an int; a budget above 2^31 tokens a minute is no limit in practice
            long budget = Math.min(config.embeddingProcessing().tokensPerMinute(), Integer.MAX_VALUE);
            for (String name : List.of(EmbeddingPipeline.NAME, OpenAiPipeline.NAME)) {
                registry.register(name, registry.config(name).toBuilder().tokensPerMinute(budget).build());
            }
            return registry;
        }

        /** Puts the layers the host did not skip around its blob store, each at most once: policy outside, retries inside. */
        private BlobStore wrapHostBlobStore(BlobStore given) {
            BlobStore store = given;
            boolean hasPolicy = false;
            boolean hasPipeline = false;
            // the host may have stacked either layer, in either order: look through the whole chain
            for (BlobStore s = given; s instanceof PolicyBlobStore || s instanceof ResilientBlobStore; ) {
                if (s instanceof PolicyBlobStore p) {
                    hasPolicy = true;
                    s = p.delegate();
                } else {
                    hasPipeline = true;
                    s = ((ResilientBlobStore) s).delegate();
                }
            }
            List<String> applied = new ArrayList<>();
            if (!hasPipeline) {
                if (skipped.containsKey(Layer.BLOB_STORAGE_PIPELINE)) {
                    log.warn("the host's blob store {} is used without the BlobStoragePipeline (opted out: {})", given,
                            skipped.get(Layer.BLOB_STORAGE_PIPELINE));
                } else {
                    // when the host applied the policy itself the retries go around it (re-reading sealed bytes is as safe)
                    store = ResilientBlobStore.wrap(store, pipelines);
                    applied.add("BlobStoragePipeline");
                }
            }
            if (!hasPolicy) {
                StoragePolicy policy = config.storagePolicy();
                boolean promises = policy.encryptionEnabled() || policy.compressionEnabled();
                if (skipped.containsKey(Layer.STORAGE_POLICY)) {
                    if (promises) {
                        log.warn("the host's blob store {} is used without the StoragePolicy (encryption {}, compression {};"
                                + " opted out: {})", given, policy.encryptionEnabled() ? "on" : "off",
                                policy.compressionEnabled() ? "on" : "off", skipped.get(Layer.STORAGE_POLICY));
                    }
                } else if (promises) {
                    store = PolicyBlobStore.wrap(store, hostStoragePolicy());
                    applied.add(0, "StoragePolicy (" + (policy.encryptionEnabled() ? "AES-256-GCM" : "")
                            + (policy.encryptionEnabled() && policy.compressionEnabled() ? " + " : "")
                            + (policy.compressionEnabled() ? "compression" : "") + ")");
                }
            }
            log.info("blob store: the host's {}{}", given, applied.isEmpty() ? " as given" : " with " + String.join(" and ", applied));
            return store;
        }

        /** Puts the embedding pipeline around the host's provider unless it has one or the host skipped it. */
        private EmbeddingProvider wrapHostEmbeddingProvider(EmbeddingProvider given) {
            if (given instanceof ResilientEmbeddingProvider) {
                log.info("embedding provider: the host's {} (already resilient, used as given)", given);
                return given;
            }
            if (skipped.containsKey(Layer.EMBEDDING_PIPELINE)) {
                log.warn("the host's embedding provider {} is used without a resilience pipeline or the EmbeddingProcessing"
                        + " token budget (opted out: {})", given, skipped.get(Layer.EMBEDDING_PIPELINE));
                return given;
            }
            String name = embeddingPipeline != null ? embeddingPipeline
                    : given.getClass().getName().equals("dev.aar.azure.OpenAiEmbeddingProvider") ? OpenAiPipeline.NAME
                    : EmbeddingPipeline.NAME;
            // not closed with the instance: closing the wrapper would close the host's provider
            EmbeddingProvider wrapped = ResilientEmbeddingProvider.builder(given).pipeline(pipelines.pipeline(name))
                    .tokenEncoding(config.embeddingProcessing().tokenEncoding()).build();
            log.info("embedding provider: the host's {} with {}", given, name);
            return wrapped;
        }

        /**
         * The {@code StoragePolicy} for a host's blob store: a configured key, else the key file of the data
         * directory the host named. A temporary data directory would lose the key with it, and with it every
         * blob in a store that outlives this process, so that is refused.
         */
        private StoragePolicy hostStoragePolicy() {
            StoragePolicy policy = config.storagePolicy();
            if (!policy.encryptionEnabled() || policy.encryptionKey() != null) {
                return policy;
            }
            if (dataDirectory == null) {
                throw new ConfigException(ConfigException.Reason.INCONSISTENT, StoragePolicy.SECTION
                        + ".EncryptionEnabled = true applies to the host's blob store too, and no key is configured: set "
                        + StoragePolicy.SECTION + ".EncryptionKey (or AAR_STORAGE_KEY), or give the builder a dataDirectory"
                        + " to keep a generated storage.key in, or opt out with skip(Layer.STORAGE_POLICY, reason)");
            }
            return embeddedStoragePolicy();
        }

        /**
         * The {@code StoragePolicy} applied to the embedded blob store: the configured one, with a key
         * kept in {@code <dataDirectory>/storage.key} when encryption is on and no key is configured,
         * so that the default (encrypted at rest) holds without any setup.
         */
        private StoragePolicy embeddedStoragePolicy() {
            StorageKeyFile.Resolved storage = StorageKeyFile.resolve(config.storagePolicy(), dataDirectory());
            if (storage.keyFile() != null && storage.keyFile().created()) {
                log.info("StoragePolicy.EncryptionEnabled is on and no key is configured: generated one in {}",
                        storage.keyFile().file());
            }
            return storage.policy();
        }

        private Path dataDirectory() {
            if (dataDirectory == null) {
                try {
                    Path temporary = Files.createTempDirectory("aar-");
                    created.push(new TemporaryDirectory(temporary));
                    dataDirectory = temporary;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create a temporary data directory", e);
                }
            }
            return dataDirectory;
        }
    }

    /** A directory the builder made and nobody else knows: deleted, with its content, at close. */
    private record TemporaryDirectory(Path path) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            FileTrees.delete(path);
        }
    }
}
