package dev.aar.benchmarks.indexing;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.aar.azure.OpenAiEmbeddingConfig;
import dev.aar.azure.OpenAiEmbeddingProvider;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One embedding request after another, through the SDK's OpenAI provider, against a local server that
 * answers at once: the provider's own transport ({@code OkHttpTransport}, TCP_NODELAY) against
 * openai-java's {@code OpenAIOkHttpClient} handed in by a host. Same provider, same request (100
 * inputs of about 2,000 characters of code-like text, base64 vectors of 1,536 dimensions), same
 * server; alternating rounds. Prints the wall time and the calling thread's CPU per request.
 *
 * <p>Run: {@code java -cp aar-benchmarks/target/benchmarks.jar
 * dev.aar.benchmarks.indexing.OpenAiTransportBenchmark [requests=200] [rounds=4] [baseUrl]}; without a
 * base URL it starts a {@link FakeEmbeddingServer} with no latency in this JVM, with one (say a
 * standalone {@code FakeEmbeddingServer 0 1536} in another process, as a real server is) it uses that.
 */
public final class OpenAiTransportBenchmark {

    private OpenAiTransportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        List<String> inputs = inputs();
        try (FakeEmbeddingServer server = args.length > 2 ? null : new FakeEmbeddingServer(0, 1536)) {
            String baseUrl = server == null ? args[2] : server.url().replace("/embeddings", "");
            OpenAiEmbeddingConfig config = OpenAiEmbeddingConfig.openAi("local").baseUrl(baseUrl).build();
            OpenAIClient stock = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey("local").maxRetries(0).build();
            try (OpenAiEmbeddingProvider own = OpenAiEmbeddingProvider.create(config);
                    OpenAiEmbeddingProvider host = OpenAiEmbeddingProvider.of(stock, config)) {
                for (int round = 0; round < rounds; round++) {
                    measure("provider's transport (TCP_NODELAY)", own, inputs, requests);
                    measure("openai-java OpenAIOkHttpClient     ", host, inputs, requests);
                }
            } finally {
                stock.close();
            }
        }
    }

    private static void measure(String name, OpenAiEmbeddingProvider provider, List<String> inputs, int requests) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            provider.embed(inputs);
        }
        double wall = (System.nanoTime() - start) / 1e6 / requests;
        double cpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / requests;
        System.out.printf("%s: %.2f ms per request, %.2f CPU-ms on the calling thread%n", name, wall, cpuMs);
    }

    /** 100 inputs of about 2,000 characters, with the newlines, tabs and quotes of source code. */
    static List<String> inputs() {
        Random random = new Random(1);
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < 2000; j++) {
                text.append((char) ('a' + random.nextInt(26)));
                if (j % 40 == 0) {
                    text.append("\n\t\"x\" ");
                }
            }
            inputs.add(text.toString());
        }
        return inputs;
    }
}
