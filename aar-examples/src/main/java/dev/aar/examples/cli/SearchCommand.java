package dev.aar.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.config.AarConfig;
import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.aar.core.redact.Redactor;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.ScoredChunk;
import dev.aar.examples.wiring.Backends;
import dev.aar.jdbc.JdbcBackend;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aar search INDEX "query" [-k N]}: the chunks of an analysed project most similar to a query. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Searches the index that 'aar analyze --out DIR' left in DIR.")
final class SearchCommand implements Callable<Integer> {

    static final String INDEX_FILE = "index.db";
    static final String META_FILE = "index.json";

    @Parameters(index = "0", paramLabel = "INDEX", description = "the --out directory of an 'aar analyze' run")
    Path index;

    @Parameters(index = "1", paramLabel = "QUERY", description = "what to look for, in words or code")
    String query;

    @Option(names = {"-k", "--top"}, paramLabel = "N", defaultValue = "10", description = "how many chunks (default: ${DEFAULT-VALUE})")
    int k;

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path meta = index.resolve(META_FILE);
        if (!Files.isRegularFile(meta) || !Files.isRegularFile(index.resolve(INDEX_FILE))) {
            err.println("aar: " + index + " holds no index; run 'aar analyze FILE --out " + index + "' first");
            return AarCli.EXIT_REFUSED;
        }
        if (k < 1 || k > 1000) {
            err.println("aar: -k must be 1..1000, was " + k);
            return AarCli.EXIT_REFUSED;
        }
        JsonNode info = new ObjectMapper().readTree(meta.toFile());
        String projectId = info.path("projectId").asText();
        String model = info.path("embeddingModel").asText();
        AarConfig cfg = config.load();
        try (EmbeddingProvider embedder = embedderFor(model, cfg);
             JdbcBackend db = JdbcBackend.create("jdbc:sqlite:" + index.resolve(INDEX_FILE).toAbsolutePath())) {
            float[] vector = embedder.embed(List.of(query)).vectors().get(0);
            List<ScoredChunk> hits = db.embeddingStore().search(projectId, vector, k);
            PrintWriter out = spec.commandLine().getOut();
            for (ScoredChunk hit : hits) {
                var c = hit.chunk();
                // the whole chunk is masked before its first line is shown, so a key's body is hidden
                // even when the chunk starts below the key's header
                out.printf(Locale.ROOT, "%.3f  %s:%d-%d  %s%n", hit.score(), c.file(), c.startLine(), c.endLine(),
                        Redactor.snippet(c.text(), c.file(), 100));
            }
            if (hits.isEmpty()) {
                err.println("aar: no chunks in this index");
            }
            out.flush();
            return 0;
        }
    }

    /** The query must be embedded by the model that embedded the chunks, or the scores mean nothing. */
    private static EmbeddingProvider embedderFor(String model, AarConfig cfg) {
        EmbeddingProvider offline = OfflineEmbeddingProvider.create();
        if (offline.model().name().equals(model)) {
            return offline;
        }
        EmbeddingProvider remote = Backends.remoteEmbeddings(cfg).orElseThrow(() -> new IllegalStateException(
                "the index was built with embedding model '" + model + "'; configure the same OpenAI / Azure OpenAI "
                        + "model (OPENAI_API_KEY or AZURE_OPENAI_*) to search it"));
        if (!remote.model().name().equals(model)) {
            throw new IllegalStateException("the index was built with '" + model + "' but the configured model is '"
                    + remote.model().name() + "'");
        }
        return remote;
    }
}
