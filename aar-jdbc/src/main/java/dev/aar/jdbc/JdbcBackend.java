package dev.aar.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.aar.core.Aar;
import dev.aar.core.preflight.ThroughputStore;
import dev.aar.core.project.ProjectStore;
import dev.aar.core.quota.QuotaStore;
import dev.aar.core.report.ReportStore;
import dev.aar.embedding.EmbeddingStore;
import dev.aar.jdbc.internal.Customization;
import dev.aar.jdbc.internal.Customizations;
import dev.aar.jdbc.internal.JdbcApiKeyTable;
import dev.aar.jdbc.internal.JdbcCheckpointStore;
import dev.aar.jdbc.internal.JdbcEmbeddingStore;
import dev.aar.jdbc.internal.JdbcJobQueue;
import dev.aar.jdbc.internal.JdbcProjectStore;
import dev.aar.jdbc.internal.JdbcQuotaStore;
import dev.aar.jdbc.internal.JdbcReportStore;
import dev.aar.jdbc.internal.JdbcThroughputStore;
import dev.aar.jdbc.internal.JdbcUploadSessionStore;
import dev.aar.jdbc.internal.Migrations;
import dev.aar.jdbc.internal.Pools;
import dev.aar.jdbc.internal.SqliteFiles;
import dev.aar.queue.CheckpointStore;
import dev.aar.queue.JobQueue;
import dev.aar.storage.UploadSessionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Every store and the job queue on PostgreSQL (many nodes) or SQLite (one node, one file).
 *
 * <p>{@link #create(String)} opens a pool for a JDBC URL (the value of {@code AAR_DATABASE_URL}),
 * picks the database's customization from the JDBC metadata, runs the schema migrations and hands
 * out the stores. Close it to stop the queue's listener and, if it opened the pool, the pool.
 *
 * <pre>{@code
 * try (JdbcBackend db = JdbcBackend.create("jdbc:postgresql://db:5432/aar?user=aar")) {
 *     Aar aar = db.applyTo(Aar.builder()).build();
 *     JobQueue queue = db.jobQueue();
 * }
 * }</pre>
 */
public final class JdbcBackend implements AutoCloseable {

    /** Pool size for PostgreSQL; the queue's {@code LISTEN} connection takes one of them. */
    public static final int DEFAULT_POSTGRES_POOL_SIZE = 10;
    /** Pool size for SQLite: readers run side by side in WAL mode, writers take turns. */
    public static final int DEFAULT_SQLITE_POOL_SIZE = 4;
    /** How long a SQLite writer waits for another to finish before failing. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);
    /** The longest an idle {@link JobQueue#awaitWork} waits before looking at the table again. */
    public static final Duration DEFAULT_MAX_IDLE_WAIT = Duration.ofSeconds(5);
    /**
     * The page size of a new SQLite database. A chunk row (its text and a 1,536-float vector) is about
     * 8.5 KB: in 4 KiB pages each row spills into an overflow chain, which a search follows for every
     * row, so it scans half as fast (docs/BENCHMARKS.md, "SQLite page size").
     */
    public static final int DEFAULT_SQLITE_PAGE_SIZE = 65_536;

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final Customization customization;
    /** The schema's migrations, with Flyway configured once for this backend. */
    private final Migrations schema;
    private final UploadSessionStore uploadSessions;
    private final CheckpointStore checkpoints;
    private final QuotaStore quotas;
    private final ProjectStore projects;
    private final EmbeddingStore embeddings;
    private final ReportStore reports;
    private final ThroughputStore throughput;
    private final JdbcJobQueue jobQueue;
    private final ApiKeyTable apiKeys;
    private final Jdbi jdbi;
    private final String jobChannel;
    private final Duration maxIdleWait;

    private JdbcBackend(Builder b) {
        this.ownedPool = b.dataSource == null ? Pools.create(b.jdbcUrl, b.poolSize(), b.busyTimeout, b.sqlitePageSize) : null;
        this.dataSource = ownedPool != null ? ownedPool : b.dataSource;
        try {
            this.customization = Customizations.detect(dataSource);
            this.schema = Migrations.of(dataSource, customization);
            if (b.migrate) {
                schema.migrate("latest");
            }
            this.jdbi = Jdbi.create(dataSource);
            this.jobChannel = channel(jdbi, "aar_jobs");
            this.maxIdleWait = b.maxIdleWait;
            this.uploadSessions = new JdbcUploadSessionStore(jdbi);
            this.checkpoints = new JdbcCheckpointStore(jdbi);
            this.quotas = new JdbcQuotaStore(jdbi, customization);
            this.projects = new JdbcProjectStore(jdbi);
            this.embeddings = new JdbcEmbeddingStore(jdbi, customization);
            this.reports = new JdbcReportStore(jdbi);
            this.throughput = new JdbcThroughputStore(jdbi);
            this.apiKeys = new JdbcApiKeyTable(jdbi);
            this.jobQueue = new JdbcJobQueue(jdbi, dataSource, customization, b.clock, jobChannel, b.maxIdleWait);
        } catch (RuntimeException e) {
            if (ownedPool != null) {
                ownedPool.close();
            }
            throw e;
        }
    }

    /** Opens a pool for {@code jdbcUrl} ({@code jdbc:postgresql:…} or {@code jdbc:sqlite:…}) with the defaults. */
    public static JdbcBackend create(String jdbcUrl) {
        return builder().jdbcUrl(jdbcUrl).build();
    }

    /** Uses the host's {@code dataSource} (left open on {@link #close()}) with the defaults. */
    public static JdbcBackend create(DataSource dataSource) {
        return builder().dataSource(dataSource).build();
    }

    /** Returns a builder for the non-default settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the database's short name: {@code "postgresql"} or {@code "sqlite"}. */
    public String database() {
        return customization.name();
    }

    /** Returns the upload-session store ({@code upload_sessions}, {@code upload_parts}). */
    public UploadSessionStore uploadSessionStore() {
        return uploadSessions;
    }

    /** Returns the checkpoint store ({@code job_checkpoints}). */
    public CheckpointStore checkpointStore() {
        return checkpoints;
    }

    /** Returns the quota store ({@code organization_quotas}). */
    public QuotaStore quotaStore() {
        return quotas;
    }

    /** Returns the project store ({@code projects}). */
    public ProjectStore projectStore() {
        return projects;
    }

    /** Returns the embedding store ({@code chunks}). */
    public EmbeddingStore embeddingStore() {
        return embeddings;
    }

    /** Returns the report store ({@code reports}, {@code findings}). */
    public ReportStore reportStore() {
        return reports;
    }

    /** Returns the measurements of finished jobs that preflight estimates from ({@code job_throughput}). */
    public ThroughputStore throughputStore() {
        return throughput;
    }

    /** Returns the job queue ({@code jobs}, {@code job_errors}). */
    public JobQueue jobQueue() {
        return jobQueue;
    }

    /** Returns the quick-start server's API keys ({@code api_keys}); not part of what {@link #applyTo} sets. */
    public ApiKeyTable apiKeyTable() {
        return apiKeys;
    }

    /** Sets every store this backend has and its job queue on {@code builder} and returns it. */
    public Aar.Builder applyTo(Aar.Builder builder) {
        return builder.uploadSessionStore(uploadSessions).checkpointStore(checkpoints).quotaStore(quotas)
                .projectStore(projects).embeddingStore(embeddings).reportStore(reports).jobQueue(jobQueue)
                .throughputStore(throughput);
    }

    /**
     * Opens a second queue on the same tables and pool with its own clock (tests move the clock by
     * hand); the caller closes it.
     */
    JdbcJobQueue openJobQueue(Clock clock) {
        return new JdbcJobQueue(jdbi, dataSource, customization, clock, jobChannel, maxIdleWait);
    }

    DataSource dataSource() {
        return dataSource;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /**
     * Returns a {@code NOTIFY} channel name unique to this schema, so that backends in different
     * schemas of one database do not hear each other.
     */
    String channel(String prefix) {
        return channel(jdbi, prefix);
    }

    /** Returns the schema version the database is at. */
    public int schemaVersion() {
        return schema.currentVersion();
    }

    /** Returns the schema version of this build's newest migration. */
    public int latestVersion() {
        return schema.latestVersion();
    }

    /** Returns the migrations this build ships for this database, oldest first, applied or not. */
    public List<SchemaMigration> migrations() {
        return schema.shipped().stream()
                .map(m -> new SchemaMigration(m.version(), m.description(), m.undo(), m.undoDrops())).toList();
    }

    /**
     * Applies the pending migrations, for a backend built with {@code migrate(false)}; returns the
     * version reached.
     */
    public int migrate() {
        return schema.migrate("latest");
    }

    /**
     * Undoes the migrations above {@code toVersion} with the shipped undo scripts (data in the
     * dropped tables is lost); 0 removes every table. The stores need the latest version, so close
     * this backend afterwards. Returns how many migrations were undone.
     */
    public int rollback(int toVersion) {
        return schema.rollback(toVersion);
    }

    @Override
    public void close() {
        jobQueue.close();
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    /** One NOTIFY channel per schema, so that queues in different schemas do not wake each other. */
    private String channel(Jdbi jdbi, String prefix) {
        if (!"postgresql".equals(customization.name())) {
            return prefix;
        }
        String schema = jdbi.withHandle(h -> h.createQuery("SELECT current_schema()").mapTo(String.class).one());
        String name = (prefix + "_" + schema).replaceAll("[^A-Za-z0-9_]", "_");
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /** Settings for a {@link JdbcBackend}; give either a JDBC URL or a data source. */
    public static final class Builder {

        private String jdbcUrl;
        private DataSource dataSource;
        private Integer poolSize;
        private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
        private Duration maxIdleWait = DEFAULT_MAX_IDLE_WAIT;
        private Clock clock = Clock.systemUTC();
        private boolean migrate = true;
        private int sqlitePageSize = DEFAULT_SQLITE_PAGE_SIZE;

        private Builder() {
        }

        /** The database to open a pool for: {@code jdbc:postgresql:…} or {@code jdbc:sqlite:<file>}. */
        public Builder jdbcUrl(String jdbcUrl) {
            this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            return this;
        }

        /** The host's data source, used instead of a pool of our own (for SQLite, configure WAL and busy_timeout on it). */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** Maximum connections in the pool we open (default 10 for PostgreSQL, 4 for SQLite). */
        public Builder poolSize(int poolSize) {
            if (poolSize < 2) {
                throw new IllegalArgumentException("poolSize must be >= 2 (the queue listener holds one), was " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /** How long a SQLite writer waits for the write lock (default 10 s). */
        public Builder busyTimeout(Duration busyTimeout) {
            if (busyTimeout.isNegative()) {
                throw new IllegalArgumentException("busyTimeout must be >= 0, was " + busyTimeout);
            }
            this.busyTimeout = busyTimeout;
            return this;
        }

        /** The longest an idle {@code awaitWork} waits before re-reading the table (default 5 s). */
        public Builder maxIdleWait(Duration maxIdleWait) {
            if (maxIdleWait.isNegative() || maxIdleWait.isZero()) {
                throw new IllegalArgumentException("maxIdleWait must be > 0, was " + maxIdleWait);
            }
            this.maxIdleWait = maxIdleWait;
            return this;
        }

        /** The clock for every timestamp the queue writes and compares (leases, run-at); default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The page size, in bytes, of a SQLite database this backend creates (default
         * {@value JdbcBackend#DEFAULT_SQLITE_PAGE_SIZE}): a power of two from 512 to 65,536. An existing
         * database keeps the size it was created with, and PostgreSQL ignores this.
         */
        public Builder sqlitePageSize(int sqlitePageSize) {
            if (!SqliteFiles.isValidPageSize(sqlitePageSize)) {
                throw new IllegalArgumentException("sqlitePageSize must be a power of two from 512 to 65536, was "
                        + sqlitePageSize);
            }
            this.sqlitePageSize = sqlitePageSize;
            return this;
        }

        /** Whether to run the migrations at start (default true). */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /** Opens the backend. */
        public JdbcBackend build() {
            if ((jdbcUrl == null) == (dataSource == null)) {
                throw new IllegalStateException("give exactly one of jdbcUrl or dataSource");
            }
            return new JdbcBackend(this);
        }

        private int poolSize() {
            if (poolSize != null) {
                return poolSize;
            }
            return Pools.isSqlite(jdbcUrl) ? DEFAULT_SQLITE_POOL_SIZE : DEFAULT_POSTGRES_POOL_SIZE;
        }
    }
}
