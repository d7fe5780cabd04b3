package dev.aar.benchmarks.indexing;

import dev.aar.azure.OpenAiEmbeddingConfig;
import dev.aar.azure.OpenAiEmbeddingProvider;
import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.embedding.ResilientEmbeddingProvider;
import dev.aar.core.index.Indexer;
import dev.aar.core.index.IndexingResult;
import dev.aar.core.index.SourceFile;
import dev.aar.core.resilience.OpenAiPipeline;
import dev.aar.embedding.EmbeddedChunk;
import dev.aar.embedding.ScoredChunk;
import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.loader.FileSystemDocumentLoader;
import dev.langchain4j.data.document.parser.TextDocumentParser;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The same directory of .java files ingested, in one JVM, by our {@link Indexer} with the SDK's
 * {@link OpenAiEmbeddingProvider} and by LangChain4j with its {@code OpenAiEmbeddingModel}, both
 * against one local OpenAI-compatible server ({@link FakeEmbeddingServer}, 100 ms per request, 1,536
 * dimensions), each with its defaults:
 *
 * <ul>
 *   <li><b>aar</b>: {@code Indexer} with the spec's EmbeddingProcessing (cl100k_base, 512 / 50 tokens,
 *       BatchSize 100, MaxConcurrency 5), the provider wrapped in the spec's {@code OpenAiPipeline} as
 *       {@code Aar} wraps it (vectors as Base64), files read one at a time as the indexer asks for them;</li>
 *   <li><b>langchain4j 1.19</b>: {@code FileSystemDocumentLoader.loadDocumentsRecursively(dir, glob:**.java)} +
 *       {@code DocumentSplitters.recursive(512, 50, jtokkit cl100k_base estimator)} + {@code EmbeddingStoreIngestor}
 *       + {@code OpenAiEmbeddingModel} (its defaults: up to 2048 segments per request, one request at a
 *       time, vectors as JSON floats).</li>
 * </ul>
 *
 * <p>Both sides store into a store that counts and drops the vectors, so the comparison is loading,
 * chunking and embedding, not the store. Prints wall time, chunks/s, and the server's view of each
 * side: requests, inputs per request, mean requests in flight.
 *
 * <p>Run: {@code java -Xmx6g -cp aar-benchmarks/target/benchmarks.jar
 * dev.aar.benchmarks.indexing.HttpIngestionComparisonBenchmark CORPUS_DIR [WARMUP_DIR] [ROUNDS] [LATENCY_MS] [DIMENSIONS]}
 * (LangChain4j holds every document and every vector of the corpus at once: the whole JDK needs several GB).
 */
public final class HttpIngestionComparisonBenchmark {

    private record Outcome(String name, long files, long chunks, double seconds, FakeEmbeddingServer.Snapshot server) {
        void print() {
            System.out.printf("%-12s %6d files, %7d chunks in %7.2f s = %6.0f chunks/s; server: %d requests, %.1f inputs each,"
                    + " mean in flight %.2f%n", name, files, chunks, seconds, chunks / seconds, server.requests(),
                    server.requests() == 0 ? 0 : (double) server.inputs() / server.requests(), server.meanInFlight());
        }
    }

    private HttpIngestionComparisonBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args.length > 0 ? args[0] : "/dev/shm/aar-jdk-src");
        Path warmup = Path.of(args.length > 1 ? args[1] : corpus.resolve("java.base/java/util").toString());
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        long latency = args.length > 3 ? Long.parseLong(args[3]) : 100;
        int dimensions = args.length > 4 ? Integer.parseInt(args[4]) : 1536;
        try (FakeEmbeddingServer server = new FakeEmbeddingServer(latency, dimensions)) {
            String baseUrl = server.url().replace("/embeddings", "");
            System.out.printf("corpus %s (%d .java files), warm-up %s (%d files); server %s, %d ms, %d dimensions; "
                    + "%d processors, max heap %d MB%n", corpus, IngestionComparisonBenchmark.paths(corpus).size(), warmup,
                    IngestionComparisonBenchmark.paths(warmup).size(), baseUrl, latency, dimensions,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1_000_000);
            ours(server, baseUrl, dimensions, warmup).print();
            langChain4j(server, baseUrl, dimensions, warmup).print();
            System.out.println("-- measured --");
            for (int r = 0; r < rounds; r++) {
                Outcome a = ours(server, baseUrl, dimensions, corpus);
                a.print();
                Outcome b = langChain4j(server, baseUrl, dimensions, corpus);
                b.print();
                double ceiling = EmbeddingProcessing.DEFAULT_BATCH_SIZE * EmbeddingProcessing.DEFAULT_MAX_CONCURRENCY
                        * 1000.0 / latency;
                System.out.printf("aar/langchain4j: wall time %.2fx shorter; aar at %.1f%% of the ceiling (%.0f chunks/s)%n",
                        b.seconds() / a.seconds(), 100 * a.chunks() / a.seconds() / ceiling, ceiling);
            }
        }
    }

    private static Outcome ours(FakeEmbeddingServer server, String baseUrl, int dimensions, Path dir) throws Exception {
        List<Path> paths = IngestionComparisonBenchmark.paths(dir);
        Iterable<SourceFile> files = () -> paths.stream().map(p -> IngestionComparisonBenchmark.read(dir, p)).iterator();
        OpenAiEmbeddingConfig config = OpenAiEmbeddingConfig.openAi("local").baseUrl(baseUrl).dimensions(dimensions).build();
        FakeEmbeddingServer.Snapshot before = server.snapshot();
        long start = System.nanoTime();
        try (ResilientEmbeddingProvider provider = ResilientEmbeddingProvider.builder(OpenAiEmbeddingProvider.create(config))
                .name(OpenAiPipeline.NAME).config(OpenAiPipeline.config()).build()) {
            Indexer indexer = Indexer.builder(provider, new CountingStore()).embeddingProcessing(EmbeddingProcessing.defaults())
                    .build();
            IndexingResult result = indexer.index("jdk", files);
            return new Outcome("aar", result.totals().filesCompleted(), result.totals().chunksStored(),
                    (System.nanoTime() - start) / 1e9, server.snapshot().minus(before));
        }
    }

    /** LangChain4j as its documentation shows it: load the documents, then ingest them. */
    private static Outcome langChain4j(FakeEmbeddingServer server, String baseUrl, int dimensions, Path dir) {
        OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder().baseUrl(baseUrl).apiKey("local")
                .modelName("text-embedding-3-small").dimensions(dimensions).build();
        CountingLangChain4jStore store = new CountingLangChain4jStore();
        FakeEmbeddingServer.Snapshot before = server.snapshot();
        long start = System.nanoTime();
        List<Document> documents = FileSystemDocumentLoader.loadDocumentsRecursively(dir, IngestionComparisonBenchmark.JAVA,
                new TextDocumentParser());
        EmbeddingStoreIngestor.builder()
                .documentSplitter(DocumentSplitters.recursive(512, 50, new JtokkitTokenCountEstimator("cl100k_base")))
                .embeddingModel(model)
                .embeddingStore(store)
                .build()
                .ingest(documents);
        return new Outcome("langchain4j", documents.size(), store.added.get(), (System.nanoTime() - start) / 1e9,
                server.snapshot().minus(before));
    }

    /** Counts the chunks stored and drops them. */
    private static final class CountingStore implements dev.aar.embedding.EmbeddingStore {
        final AtomicLong added = new AtomicLong();

        @Override
        public void upsert(List<EmbeddedChunk> chunks) {
            added.addAndGet(chunks.size());
        }

        @Override
        public List<ScoredChunk> search(String projectId, float[] query, int k) {
            return List.of();
        }

        @Override
        public Map<String, float[]> findVectors(String model, Collection<String> contentHashes) {
            return Map.of();
        }

        @Override
        public long count(String projectId) {
            return added.get();
        }

        @Override
        public long deleteProject(String projectId) {
            return 0;
        }
    }

    /** LangChain4j's side of {@link CountingStore}. */
    private static final class CountingLangChain4jStore implements dev.langchain4j.store.embedding.EmbeddingStore<TextSegment> {
        final AtomicLong added = new AtomicLong();

        @Override
        public String add(Embedding embedding) {
            added.incrementAndGet();
            return "";
        }

        @Override
        public void add(String id, Embedding embedding) {
            added.incrementAndGet();
        }

        @Override
        public String add(Embedding embedding, TextSegment segment) {
            added.incrementAndGet();
            return "";
        }

        @Override
        public List<String> addAll(List<Embedding> embeddings) {
            added.addAndGet(embeddings.size());
            return java.util.Collections.nCopies(embeddings.size(), "");
        }

        @Override
        public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
            added.addAndGet(embeddings.size());
        }

        @Override
        public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
            return new EmbeddingSearchResult<>(List.of());
        }
    }
}
