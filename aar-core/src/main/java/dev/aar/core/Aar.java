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
import dev.aar.core.worker.JobClient;
import dev.aar.core.worker.JobHandler;
import dev.aar.core.worker.WorkerPool;
import dev.aar.core.upload.UploadSessionManager;
import dev.aar.core.wiring.internal.Collaborators;
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
import org.jspecify.annotations.Nullable;
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
 * <p>What a host uses is here: {@link #analysis()}, {@link #uploadSessionManager()}, {@link #events()},
 * {@link #startWorkers()}, {@link #startHousekeeping()}, {@link #pipelines()}, {@link #meterRegistry()} and
 * {@link #close()}. The stores, the queue and the other collaborators stay behind it (the host hands its own
 * backends to the builder, so it has them already); see {@code docs/architecture.md}, "Public API".
 *
 * <pre>{@code
 * try (Aar aar = Aar.builder().config(ConfigLoader.fromSystemEnvironment().load(path)).build()) {
 *     ...
 * }
 * }</pre>
 */
public final class Aar implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Aar.class);

    private final Collaborators wired;
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
        AarConfig config = b.config;
        JobClient jobs = new JobClient(b.jobQueue, b.events, b.metrics, Clock.systemUTC());
        var limits = config.scaleLimits();
        QuotaService quotaService = new QuotaService(b.quotaStore, Clock.systemUTC(), QuotaLimits.ofConfigured(
                limits.defaultMonthlyTokenLimit(), limits.defaultMonthlyProjectLimit(), limits.defaultStorageLimitBytes()));
        UploadSessionManager uploadSessionManager = UploadSessionManager.builder().blobStore(b.blobStore)
                .sessionStore(b.uploadSessionStore).config(config).quotaService(quotaService).build();
        Indexer indexer = Indexer.builder(b.embeddingProvider, b.embeddingStore).embeddingProcessing(config.embeddingProcessing())
                .checkpointIntervalFiles(config.workerProcessing().checkpointIntervalFiles()).meterRegistry(b.meterRegistry)
                .build();
        AnalysisService analysis = AnalysisService.builder().config(config).blobStore(b.blobStore).projectStore(b.projectStore)
                .uploads(uploadSessionManager).jobs(jobs).quotas(quotaService).reportStore(b.reportStore)
                .embeddingStore(b.embeddingStore).embeddingProvider(b.embeddingProvider).indexer(indexer)
                .analyzers(b.analyzers).workDirectory(b.workDirectory)
                .throughputStore(b.throughputStore).metrics(b.metrics).build();
        this.pipelines = b.pipelines;
        this.wired = new Collaborators(config, b.blobStore, b.uploadSessionStore, b.checkpointStore, b.embeddingStore,
                b.quotaStore, b.projectStore, quotaService, b.reportStore, b.jobQueue, jobs, b.embeddingProvider, indexer,
                uploadSessionManager, analysis, b.events, List.copyOf(b.listeners), b.meterRegistry, b.metrics, owned);
        Collaborators.register(this, wired);
    }

    /** Starts wiring an instance. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the configuration this instance runs with. */
    public AarConfig config() {
        return wired.config();
    }

    /**
     * Returns the pipeline's host API: projects, preflight, approval, queueing analyses, reports.
     * Analyses run once workers run them: call {@link #startWorkers()} in at least one process.
     */
    public AnalysisService analysis() {
        return wired.analysis();
    }

    /** Returns resumable uploads: sessions, parts, finalize and cancel, charging storage quotas. */
    public UploadSessionManager uploadSessionManager() {
        return wired.uploadSessionManager();
    }

    /** Returns the event dispatcher: subscribe listeners at run time (an SSE client), or publish events. */
    public EventDispatcher events() {
        return wired.events();
    }

    /** Returns the registry the SDK's meters (and the pipelines' resilience meters) are recorded in. */
    public MeterRegistry meterRegistry() {
        return wired.meterRegistry();
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

    /**
     * Starts the worker pool that runs analysis jobs ({@code MaxConcurrentJobs} at a time); closed by {@link #close()}.
     * First deletes sources that finished or unknown jobs left in the work directory ({@link AnalysisService#sweepWorkspaces()}).
     */
    public WorkerPool startWorkers() {
        AnalysisService analysis = wired.analysis();
        try {
            int swept = analysis.sweepWorkspaces();
            if (swept > 0) {
                log.info("deleted the work directories of {} finished or unknown jobs", swept);
            }
        } catch (RuntimeException e) {
            // stale directories cost disk space, not correctness: start the workers anyway
            log.warn("could not sweep the work directory: {}", e.toString());
        }
        return wired.workers(analysis.handler());
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
        Housekeeping housekeeping = wired.housekeeping().interval(interval).build().start();
        synchronized (wired.owned()) {
            wired.owned().push(housekeeping);
        }
        return housekeeping;
    }

    // What the builder wired, for this package's tests; everyone else of the project uses Collaborators.of(aar).

    BlobStore blobStore() {
        return wired.blobStore();
    }

    UploadSessionStore uploadSessionStore() {
        return wired.uploadSessionStore();
    }

    CheckpointStore checkpointStore() {
        return wired.checkpointStore();
    }

    EmbeddingStore embeddingStore() {
        return wired.embeddingStore();
    }

    QuotaStore quotaStore() {
        return wired.quotaStore();
    }

    ProjectStore projectStore() {
        return wired.projectStore();
    }

    JobQueue jobQueue() {
        return wired.jobQueue();
    }

    QuotaService quotaService() {
        return wired.quotaService();
    }

    ReportStore reportStore() {
        return wired.reportStore();
    }

    JobClient jobs() {
        return wired.jobs();
    }

    EmbeddingProvider embeddingProvider() {
        return wired.embeddingProvider();
    }

    Indexer indexer() {
        return wired.indexer();
    }

    List<ProgressListener> listeners() {
        return wired.listeners();
    }

    WorkerPool workers(JobHandler... handlers) {
        return wired.workers(handlers);
    }

    /** Closes, in reverse order of creation, everything the builder created; never the host's own backends. */
    @Override
    public void close() {
        Deque<AutoCloseable> owned = wired.owned();
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
        // unset (null) until the host sets them or build() fills the defaults in
        private @Nullable Path dataDirectory;
        private @Nullable BlobStore blobStore;
        private @Nullable UploadSessionStore uploadSessionStore;
        private @Nullable CheckpointStore checkpointStore;
        private @Nullable EmbeddingStore embeddingStore;
        private @Nullable QuotaStore quotaStore;
        private @Nullable ThroughputStore throughputStore;
        private @Nullable ProjectStore projectStore;
        private @Nullable MeterRegistry meterRegistry;
        private @Nullable EmbeddingProvider embeddingProvider;
        private @Nullable ReportStore reportStore;
        private @Nullable Analyzers analyzers;
        private @Nullable Path workDirectory;
        private final List<ProgressListener> listeners = new ArrayList<>();
        private final List<AutoCloseable> handedOver = new ArrayList<>();
        private boolean built;
        /** What {@link #build()} has created so far, for the helpers it calls. */
        private @Nullable Deque<AutoCloseable> created;
        private @Nullable JobQueue jobQueue;
        private @Nullable EventDispatcher events;
        private @Nullable AarMetrics metrics;
        private @Nullable PipelineRegistry pipelines;
        private @Nullable String embeddingPipeline;
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
