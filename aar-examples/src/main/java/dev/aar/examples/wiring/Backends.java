package dev.aar.examples.wiring;

import dev.aar.azure.AzureBlobStore;
import dev.aar.azure.LlmReviewer;
import dev.aar.azure.OpenAiEmbeddingProvider;
import dev.aar.core.Aar;
import dev.aar.core.analysis.AnalysisConfig;
import dev.aar.core.analysis.AnalysisConfigReader;
import dev.aar.core.analysis.Analyzers;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.Connections;
import dev.aar.core.config.StoragePolicy;
import dev.aar.core.resilience.OpenAiPipeline;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.storage.StorageKeyFile;
import dev.aar.jdbc.JdbcBackend;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.storage.BlobStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires an {@link Aar.Builder} from configuration: the database (PostgreSQL or SQLite) from
 * {@code DatabaseUrl}, blobs on Azure or under the data directory, OpenAI / Azure OpenAI embeddings
 * when a key is configured (else the offline embedder). The builder puts the storage policy and the
 * resilience pipelines around them.
 */
public final class Backends {

    private static final Logger log = LoggerFactory.getLogger(Backends.class);

    private Backends() {
    }

    /** Returns the OpenAI / Azure OpenAI provider when a key is configured, else empty (use the offline one). */
    public static Optional<EmbeddingProvider> remoteEmbeddings(AarConfig config) {
        Connections c = config.connections();
        if (c.azureOpenAiEndpoint() != null || c.openAiApiKey() != null) {
            return Optional.of(OpenAiEmbeddingProvider.fromConfig(config));
        }
        return Optional.empty();
    }

    /**
     * Returns the analyzers configured in {@code appsettings} (its optional "Analysis" section:
     * thresholds, disabled analyzers, layering rules), plus the LLM reviewer when its "LlmReview"
     * section enables it; the built-in defaults when there is no file.
     */
    public static Analyzers analyzers(AarConfig config, Path appsettings) {
        if (appsettings == null) {
            return Analyzers.builtIn(AnalysisConfig.defaults());
        }
        Analyzers.Builder analyzers = Analyzers.builder().addBuiltIns(AnalysisConfigReader.load(appsettings));
        LlmReviewer.fromConfig(config, appsettings).ifPresent(reviewer -> {
            log.info("LLM reviewer enabled: excerpts of the code are sent to the configured chat endpoint");
            analyzers.add(reviewer);
        });
        return analyzers.build();
    }

    /**
     * What was chosen, for the start-up banner; {@code jdbc} is the opened database (null when the
     * stores are in memory), for a host that also wants its job queue or a readiness probe.
     */
    public record Choice(String database, String blobs, String embeddings, String storagePolicy, JdbcBackend jdbc) {
    }

    /**
     * Applies the configured backends to {@code builder}; the defaults need nothing.
     *
     * @param defaultDatabaseUrl used when {@code DatabaseUrl} is unset (null keeps everything in memory)
     */
    public static Choice apply(Aar.Builder builder, AarConfig config, Path dataDirectory, String defaultDatabaseUrl,
            MeterRegistry meters) {
        Connections c = config.connections();
        String url = c.databaseUrl() != null ? c.databaseUrl() : defaultDatabaseUrl;
        String database = "in-memory";
        JdbcBackend db = null;
        if (url != null) {
            db = JdbcBackend.create(url);
            db.applyTo(builder);
            builder.closeWith(db);
            database = db.database();
        }

        BlobStore blobs;
        String blobName;
        if (c.azureStorageConnectionString() != null) {
            AzureBlobStore azure = AzureBlobStore.fromConfig(config);
            builder.closeWith(azure);
            blobs = azure;
            blobName = "Azure Blob Storage (container " + c.azureStorageContainer() + ")";
        } else {
            FileSystemBlobStore files = FileSystemBlobStore.open(dataDirectory.resolve("blobs"));
            builder.closeWith(files);
            blobs = files;
            blobName = "files under " + dataDirectory.resolve("blobs").toAbsolutePath();
        }
        // encrypted at rest without setup, like the SDK's embedded default: a key next to the data (the
        // builder reads the same storage.key when it puts the policy around the store)
        StorageKeyFile.Resolved storage = StorageKeyFile.resolve(config.storagePolicy(), dataDirectory);
        StoragePolicy effective = storage.policy();
        List<String> policy = new ArrayList<>();
        if (effective.encryptionEnabled()) {
            policy.add("AES-256-GCM");
        }
        if (effective.compressionEnabled()) {
            policy.add("compression");
        }
        String keyNote = storage.keyFile() == null ? "" : " (key " + (storage.keyFile().created() ? "generated into " : "from ")
                + storage.keyFile().file().toAbsolutePath() + ")";
        // the builder puts the StoragePolicy and the BlobStoragePipeline around it, once
        builder.blobStore(blobs).dataDirectory(dataDirectory);

        String embeddings = "offline (" + dev.aar.core.embedding.OfflineEmbeddingProvider.create().model().name() + ")";
        var configured = remoteEmbeddings(config);
        if (configured.isPresent()) {
            EmbeddingProvider remote = configured.get();
            builder.closeWith(remote);
            // the builder puts the shared OpenAiPipeline with the EmbeddingProcessing budget around it
            builder.embeddingProvider(remote).embeddingPipeline(OpenAiPipeline.NAME);
            embeddings = (c.azureOpenAiEndpoint() != null ? "Azure OpenAI " : "OpenAI ") + remote.model().name();
        }
        builder.meterRegistry(meters);
        return new Choice(database, blobName, embeddings, (policy.isEmpty() ? "none" : String.join(" + ", policy)) + keyNote,
                db);
    }
}
