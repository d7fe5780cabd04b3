package dev.aar.benchmarks.indexing;

import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.aar.core.index.Indexer;
import dev.aar.core.index.IndexingResult;
import dev.aar.core.index.SourceFile;
import dev.aar.core.memory.InMemoryEmbeddingStore;
import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.loader.FileSystemDocumentLoader;
import dev.langchain4j.data.document.parser.TextDocumentParser;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/**
 * The same directory of .java files indexed, in one JVM, by our {@link Indexer} and by LangChain4j's
 * ingestion ({@code FileSystemDocumentLoader} + {@code DocumentSplitters.recursive(512, 50, jtokkit
 * cl100k_base)} + {@code EmbeddingStoreIngestor} + {@code InMemoryEmbeddingStore}), both embedding with
 * the same {@link OfflineEmbeddingProvider}. Each side first indexes a warm-up directory, then the
 * corpus; prints files/s, chunks/s, wall time, peak used heap (sampled every 2 ms, garbage included)
 * and the heap still used after a full GC (mostly the store) of each.
 *
 * <p>Run: {@code java -Xmx2g -cp aar-benchmarks/target/benchmarks.jar
 * dev.aar.benchmarks.indexing.IngestionComparisonBenchmark CORPUS_DIR [WARMUP_DIR] [ROUNDS]}
 */
public final class IngestionComparisonBenchmark {

    static final PathMatcher JAVA = FileSystems.getDefault().getPathMatcher("glob:**.java");

    private record Outcome(String name, long files, long chunks, double seconds, double peakMb, double retainedMb) {
        void print() {
            System.out.printf("%-12s %6d files, %7d chunks in %7.2f s = %6.0f files/s, %7.0f chunks/s; "
                    + "peak heap %5.0f MB, retained after GC %5.0f MB%n",
                    name, files, chunks, seconds, files / seconds, chunks / seconds, peakMb, retainedMb);
        }
    }

    private IngestionComparisonBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args.length > 0 ? args[0] : "/dev/shm/aar-jdk-src");
        Path warmup = Path.of(args.length > 1 ? args[1] : corpus.resolve("java.base/java/util").toString());
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        OfflineEmbeddingProvider offline = OfflineEmbeddingProvider.create();
        System.out.printf("corpus %s (%d .java files), warm-up %s (%d files); %d processors, max heap %d MB%n",
                corpus, paths(corpus).size(), warmup, paths(warmup).size(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / 1_000_000);

        ours(offline, warmup).print();
        langChain4j(offline, warmup).print();
        System.out.println("-- measured --");
        for (int r = 0; r < rounds; r++) {
            Outcome a = ours(offline, corpus);
            Outcome b = langChain4j(offline, corpus);
            a.print();
            b.print();
            System.out.printf("aar/langchain4j: %.2fx files/s, wall time %.2fx shorter%n",
                    (a.files() / a.seconds()) / (b.files() / b.seconds()), b.seconds() / a.seconds());
        }
    }

    /** Our indexer over the files, read one at a time as it asks for them; a fresh store, so nothing is reused. */
    private static Outcome ours(OfflineEmbeddingProvider offline, Path dir) throws Exception {
        List<Path> paths = paths(dir);
        Iterable<SourceFile> files = () -> paths.stream().map(p -> read(dir, p)).iterator();
        try (HeapPeak heap = HeapPeak.start()) {
            long start = System.nanoTime();
            InMemoryEmbeddingStore store = new InMemoryEmbeddingStore();
            Indexer indexer = Indexer.builder(offline, store).embeddingProcessing(EmbeddingProcessing.defaults()).build();
            IndexingResult result = indexer.index("jdk", files);
            double seconds = (System.nanoTime() - start) / 1e9;
            double peak = heap.peakMegabytes();
            double retained = HeapPeak.retainedMegabytes();
            Reference.reachabilityFence(store);
            return new Outcome("aar", result.totals().filesCompleted(), result.totals().chunksStored(), seconds, peak,
                    retained);
        }
    }

    /** LangChain4j as its documentation shows it: load the documents, then ingest them. */
    private static Outcome langChain4j(OfflineEmbeddingProvider offline, Path dir) throws Exception {
        OfflineLangChain4jModel model = new OfflineLangChain4jModel(offline);
        try (HeapPeak heap = HeapPeak.start()) {
            long start = System.nanoTime();
            List<Document> documents = FileSystemDocumentLoader.loadDocumentsRecursively(dir, JAVA, new TextDocumentParser());
            var store = new dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore<TextSegment>();
            EmbeddingStoreIngestor ingestor = EmbeddingStoreIngestor.builder()
                    .documentSplitter(DocumentSplitters.recursive(512, 50, new JtokkitTokenCountEstimator("cl100k_base")))
                    .embeddingModel(model)
                    .embeddingStore(store)
                    .build();
            ingestor.ingest(documents);
            double seconds = (System.nanoTime() - start) / 1e9;
            int files = documents.size();
            documents = null; // LangChain4j's store keeps its own segments; the loaded documents are garbage now
            double peak = heap.peakMegabytes();
            double retained = HeapPeak.retainedMegabytes();
            Reference.reachabilityFence(store);
            return new Outcome("langchain4j", files, model.segments.get(), seconds, peak, retained);
        }
    }

    static List<Path> paths(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> Files.isRegularFile(p) && JAVA.matches(p)).sorted().toList();
        }
    }

    static SourceFile read(Path dir, Path p) {
        try {
            return new SourceFile(dir.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
