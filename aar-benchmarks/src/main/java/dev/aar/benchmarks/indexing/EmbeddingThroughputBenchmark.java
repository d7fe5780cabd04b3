package dev.aar.benchmarks.indexing;

import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.embedding.ResilientEmbeddingProvider;
import dev.aar.core.index.Chunk;
import dev.aar.core.index.Chunker;
import dev.aar.core.index.Indexer;
import dev.aar.core.index.IndexingResult;
import dev.aar.core.index.SourceFile;
import dev.aar.core.memory.InMemoryEmbeddingStore;
import dev.aar.core.resilience.EmbeddingPipeline;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Embedding throughput against a local OpenAI-compatible server answering after 100 ms, through
 * {@link ResilientEmbeddingProvider} with the spec's EmbeddingPipeline and EmbeddingProcessing
 * defaults (BatchSize 100, MaxConcurrency 5): chunks/s as a fraction of the ceiling
 * BatchSize x MaxConcurrency / latency, clean and with 10% 429 + 5% 500 injected, first driving the
 * provider directly, then through the {@link Indexer} (chunking included).
 *
 * <p>Run: {@code java -cp aar-benchmarks/target/benchmarks.jar dev.aar.benchmarks.indexing.EmbeddingThroughputBenchmark [src.zip] [chunks] [dimensions] [base64|floats]}
 */
public final class EmbeddingThroughputBenchmark {

    private static final long LATENCY_MILLIS = 100;
    private static int dimensions = 256;
    private static boolean base64 = true;

    private EmbeddingThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path zip = Path.of(args.length > 0 ? args[0] : System.getProperty("java.home") + "/lib/src.zip");
        int wanted = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        dimensions = args.length > 2 ? Integer.parseInt(args[2]) : dimensions;
        // base64 (the default of the SDK's OpenAiEmbeddingProvider) or floats (JSON number arrays)
        base64 = !(args.length > 3 && args[3].equals("floats"));
        EmbeddingProcessing settings = EmbeddingProcessing.defaults();
        Chunker chunker = Chunker.of(settings);
        List<SourceFile> files = new ArrayList<>();
        List<Chunk> chunks = new ArrayList<>();
        for (SourceFile f : ChunkerBenchmark.load(zip, 100_000)) {
            if (chunks.size() >= wanted) {
                break;
            }
            files.add(f);
            chunks.addAll(chunker.chunk(f));
        }
        double ceiling = settings.batchSize() * settings.maxConcurrency() * 1000.0 / LATENCY_MILLIS;
        System.out.printf("corpus: %d files, %d chunks; ceiling %d x %d / %d ms = %.0f chunks/s; vectors as %s%n",
                files.size(), chunks.size(), settings.batchSize(), settings.maxConcurrency(), LATENCY_MILLIS, ceiling,
                base64 ? "base64" : "JSON floats");

        try (FakeEmbeddingServer server = new FakeEmbeddingServer(LATENCY_MILLIS, dimensions)) {
            EmbeddingModel model = new EmbeddingModel("bench-" + dimensions, dimensions, 8191, 2048, 300_000, 0.10);
            // a fifth of the corpus through both paths first: the HTTP client, Jackson and the indexer get compiled
            long warm = System.nanoTime();
            List<SourceFile> someFiles = files.subList(0, files.size() / 5);
            direct("warm-up, direct", server, model, settings, chunks.subList(0, chunks.size() / 5), ceiling, 0, 0);
            indexer("warm-up, indexer", server, model, settings, someFiles, someFiles.stream().mapToInt(f -> chunker.chunk(f).size()).sum(),
                    ceiling, 0, 0);
            System.out.printf("(warm-up %.1f s, not a measurement)%n", (System.nanoTime() - warm) / 1e9);
            direct("direct, clean", server, model, settings, chunks, ceiling, 0, 0);
            direct("direct, 10% 429 + 5% 500", server, model, settings, chunks, ceiling, 0.10, 0.05);
            indexer("indexer, clean", server, model, settings, files, chunks.size(), ceiling, 0, 0);
            indexer("indexer, 10% 429 + 5% 500", server, model, settings, files, chunks.size(), ceiling, 0.10, 0.05);
        }
    }

    private static ResilientEmbeddingProvider provider(FakeEmbeddingServer server, EmbeddingModel model) {
        return ResilientEmbeddingProvider.builder(new HttpEmbeddingProvider(server.url(), model, base64))
                .config(EmbeddingPipeline.config()).build();
    }

    private static void direct(String label, FakeEmbeddingServer server, EmbeddingModel model, EmbeddingProcessing settings,
            List<Chunk> chunks, double ceiling, double share429, double share500) throws InterruptedException {
        server.faults(share429, share500);
        int before429 = server.throttled.get();
        int before500 = server.failed.get();
        long beforeBusy = server.busyNanos.get();
        long beforeCpu = cpuNanos();
        ResilientEmbeddingProvider provider = provider(server, model);
        AtomicInteger next = new AtomicInteger();
        AtomicLong embedded = new AtomicLong();
        AtomicInteger lostBatches = new AtomicInteger();
        AtomicLong callNanos = new AtomicLong();
        int beforeOk = server.ok.get();
        int batches = (chunks.size() + settings.batchSize() - 1) / settings.batchSize();
        ExecutorService pool = Executors.newFixedThreadPool(settings.maxConcurrency());
        long start = System.nanoTime();
        for (int t = 0; t < settings.maxConcurrency(); t++) {
            pool.execute(() -> {
                for (int b; (b = next.getAndIncrement()) < batches;) {
                    List<Chunk> batch = chunks.subList(b * settings.batchSize(), Math.min(chunks.size(), (b + 1) * settings.batchSize()));
                    long t0 = System.nanoTime();
                    try {
                        EmbeddingResult r = provider.embed(batch.stream().map(Chunk::text).toList(),
                                batch.stream().mapToLong(Chunk::tokens).sum());
                        embedded.addAndGet(r.vectors().size());
                        callNanos.addAndGet(System.nanoTime() - t0);
                    } catch (RuntimeException e) {
                        lostBatches.incrementAndGet();
                        System.out.println("  batch " + b + " lost: " + e);
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        double seconds = (System.nanoTime() - start) / 1e9;
        report(label, chunks.size(), embedded.get(), seconds, ceiling, server.throttled.get() - before429, server.failed.get() - before500,
                (server.busyNanos.get() - beforeBusy) / 1e9 / seconds, (cpuNanos() - beforeCpu) / 1e9);
        int okCalls = server.ok.get() - beforeOk;
        if (share429 == 0 && share500 == 0 && okCalls > 0) {
            // where a slot's time goes: in the server's handler, or between the caller and the handler
            System.out.printf("%-28s mean call %.1f ms as the caller sees it, %.1f ms inside the server's handler%n", "",
                    callNanos.get() / 1e6 / okCalls, (server.busyNanos.get() - beforeBusy) / 1e6 / okCalls);
        }
        provider.close();
    }

    private static void indexer(String label, FakeEmbeddingServer server, EmbeddingModel model, EmbeddingProcessing settings,
            List<SourceFile> files, int expectedChunks, double ceiling, double share429, double share500) {
        server.faults(share429, share500);
        int before429 = server.throttled.get();
        int before500 = server.failed.get();
        long beforeBusy = server.busyNanos.get();
        long beforeCpu = cpuNanos();
        InMemoryEmbeddingStore store = new InMemoryEmbeddingStore();
        try (ResilientEmbeddingProvider provider = provider(server, model)) {
            Indexer indexer = Indexer.builder(provider, store).embeddingProcessing(settings).build();
            IndexingResult result = indexer.index("bench", files);
            double seconds = result.elapsed().toNanos() / 1e9;
            report(label, expectedChunks, store.count("bench"), seconds, ceiling, server.throttled.get() - before429,
                    server.failed.get() - before500, (server.busyNanos.get() - beforeBusy) / 1e9 / seconds,
                    (cpuNanos() - beforeCpu) / 1e9);
        }
    }

    private static void report(String label, long expected, long stored, double seconds, double ceiling, int got429, int got500,
            double meanInFlight, double cpuSeconds) {
        double rate = stored / seconds;
        System.out.printf("%-28s %6d/%d chunks (lost %d) in %6.2f s = %6.0f chunks/s = %5.1f%% of ceiling; "
                + "mean requests in flight at the server %.2f; server sent %d x 429, %d x 500; "
                + "process CPU %.1f s = %.2f cores%n",
                label + ":", stored, expected, expected - stored, seconds, rate, 100 * rate / ceiling, meanInFlight, got429, got500,
                cpuSeconds, cpuSeconds / seconds);
    }

    /** CPU time of the whole process (client, server and indexer threads alike). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
