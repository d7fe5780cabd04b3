package dev.aar.core;

import dev.aar.core.analysis.AnalysisConfig;
import dev.aar.core.analysis.Analyzers;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.StoragePolicy;
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
import java.util.List;
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

    private Aar(Builder b, Deque<AutoCloseable> owned) {
        this.config = b.config;
        this.blobStore = b.blobStore;
        this.uploadSessionStore = b.uploadSessionStore;
        this.checkpointStore = b.checkpointStore;
        this.embeddingStore = b.embeddingStore;
        this.quotaStore = b.quotaStore;
        this.projectStore = b.projectStore;
        this.meterRegistry = b.meterRegistry;
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

    /** Returns the provider that embeds chunks (the host's, or the resilient offline default). */
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

        /** Stores archives, parts and reports here (default: files under the data directory). */
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
         * Embeds chunks with this provider, used as given (wrap it in a {@link ResilientEmbeddingProvider}
         * for retries, breaker and limits); the host closes it. Default: a {@link ResilientEmbeddingProvider}
         * over an {@link OfflineEmbeddingProvider}, with the {@code EmbeddingProcessing} section's token
         * budget and encoding and metrics in the meter registry, closed by {@link Aar#close()}.
         */
        public Builder embeddingProvider(EmbeddingProvider provider) {
            this.embeddingProvider = Objects.requireNonNull(provider, "embeddingProvider");
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
                if (blobStore == null) {
                    FileSystemBlobStore files = FileSystemBlobStore.open(dataDirectory().resolve("blobs"));
                    owned.push(files);
                    blobStore = PolicyBlobStore.wrap(files, embeddedStoragePolicy());
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
                if (meterRegistry == null) {
                    SimpleMeterRegistry registry = new SimpleMeterRegistry();
                    meterRegistry = registry;
                    owned.push(registry::close);
                }
                if (jobQueue == null) {
                    jobQueue = new InMemoryJobQueue();
                    owned.push(jobQueue);
                }
                if (embeddingProvider == null) {
                    embeddingProvider = ResilientEmbeddingProvider.builder(OfflineEmbeddingProvider.create())
                            .embeddingProcessing(config.embeddingProcessing()).meterRegistry(meterRegistry).build();
                    owned.push(embeddingProvider);
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
