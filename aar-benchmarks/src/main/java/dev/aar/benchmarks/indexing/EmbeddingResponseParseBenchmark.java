package dev.aar.benchmarks.indexing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingValue;
import dev.aar.azure.internal.EmbeddingResponseReader;
import dev.aar.azure.internal.OpenAiErrors;
import dev.aar.core.embedding.Float32Vectors;
import dev.aar.embedding.EmbeddingResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * CPU time to turn one embeddings answer (100 Base64 vectors of 1,536 dimensions, as the CLI receives
 * 1,316 of them for the JDK's sources) into {@code float[]}s, two ways: openai-java 4.8's response model
 * ({@code CreateEmbeddingResponse} through its Jackson databind mapper, then {@code java.util.Base64} and
 * {@link Float32Vectors#decode}, what {@code OpenAiEmbeddingProvider} did before issue 19) and
 * {@link EmbeddingResponseReader} (Jackson's streaming parser straight into the arrays). Both read the
 * same bytes from an {@code InputStream}, as from the network, and must give the same vectors bit for bit.
 *
 * <p>{@code cold WAY [ANSWERS=200]}: a fresh JVM parses ANSWERS answers one way only and prints the CPU
 * time of the parsing thread and of the whole process (the JIT compiler's threads and GC included) per
 * answer; run it alternately for {@code model} and {@code reader}. {@code warm ROUNDS N}: after 300
 * unmeasured answers each way, rounds of N answers alternate the two ways (the order flips every round)
 * and print the parsing thread's CPU time and allocation per answer.
 *
 * <p>Usage: {@code java -Xmx512m -cp benchmarks.jar dev.aar.benchmarks.indexing.EmbeddingResponseParseBenchmark
 * cold model|reader [answers] | warm ROUNDS N} (docs/BENCHMARKS.md, "Parsing embedding responses without the
 * databind model (issue 19)").
 */
public final class EmbeddingResponseParseBenchmark {

    private static final int INPUTS = 100;
    private static final int DIMENSIONS = 1536;

    private final byte[] body;
    private final EmbeddingResponseReader reader;
    private final ModelWay model = new ModelWay();

    private EmbeddingResponseParseBenchmark(byte[] body) {
        this.body = body;
        OpenAiErrors errors = new OpenAiErrors("OpenAI", "OPENAI_API_KEY", "model 'text-embedding-3-small'", "sk-bench",
                Clock.systemUTC());
        this.reader = new EmbeddingResponseReader(DIMENSIONS, "text-embedding-3-small", errors);
    }

    public static void main(String[] args) throws Exception {
        EmbeddingResponseParseBenchmark bench = new EmbeddingResponseParseBenchmark(answer(new Random(19)));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        if (args[0].equals("cold")) {
            boolean useModel = args[1].equals("model");
            int answers = args.length > 2 ? Integer.parseInt(args[2]) : 200;
            long process0 = os.getProcessCpuTime();
            long thread0 = threads.getCurrentThreadCpuTime();
            long sink = 0;
            for (int i = 0; i < answers; i++) {
                sink += useModel ? bench.model() : bench.reader();
            }
            long thread = threads.getCurrentThreadCpuTime() - thread0;
            long process = os.getProcessCpuTime() - process0;
            System.out.printf("cold %-6s %d answers of %,d bytes: thread %.2f ms/answer, process %.2f ms/answer (%d)%n",
                    args[1], answers, bench.body.length, thread / 1e6 / answers, process / 1e6 / answers, sink);
            return;
        }
        int rounds = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        bench.check();
        for (int i = 0; i < 300; i++) {
            bench.model();
            bench.reader();
        }
        double[][] ms = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                boolean useModel = (r + k) % 2 == 0;
                long t0 = threads.getCurrentThreadCpuTime();
                long a0 = threads.getCurrentThreadAllocatedBytes();
                long sink = 0;
                for (int i = 0; i < n; i++) {
                    sink += useModel ? bench.model() : bench.reader();
                }
                double perAnswer = (threads.getCurrentThreadCpuTime() - t0) / 1e6 / n;
                long allocated = (threads.getCurrentThreadAllocatedBytes() - a0) / n;
                ms[useModel ? 0 : 1][r] = perAnswer;
                System.out.printf("round %d %-6s %.3f ms/answer, %,d bytes allocated/answer (%d)%n", r,
                        useModel ? "model" : "reader", perAnswer, allocated, sink);
            }
        }
        System.out.printf("median: model %.3f ms/answer, reader %.3f ms/answer%n", median(ms[0]), median(ms[1]));
    }

    /** Fails unless both ways give the same vectors, bit for bit, and the same token count. */
    private void check() throws IOException {
        EmbeddingResult fromReader = reader.read(new ByteArrayInputStream(body), INPUTS);
        ModelWay.Parsed fromModel = model.parse(body);
        if (fromReader.tokensUsed() != fromModel.tokens()) {
            throw new AssertionError("tokens differ");
        }
        for (int i = 0; i < INPUTS; i++) {
            float[] a = fromReader.vectors().get(i);
            float[] b = fromModel.vectors().get(i);
            for (int d = 0; d < DIMENSIONS; d++) {
                if (Float.floatToRawIntBits(a[d]) != Float.floatToRawIntBits(b[d])) {
                    throw new AssertionError("vector " + i + " differs at " + d);
                }
            }
        }
    }

    private long model() throws Exception {
        return model.parse(body).vectors().get(INPUTS - 1)[DIMENSIONS - 1] != 0 ? 1 : 0;
    }

    private long reader() throws IOException {
        return reader.read(new ByteArrayInputStream(body), INPUTS).vectors().get(INPUTS - 1)[DIMENSIONS - 1] != 0 ? 1 : 0;
    }

    /** openai-java's way: its response model, then the count and index checks and Base64 to float32 per vector. */
    private static final class ModelWay {

        record Parsed(List<float[]> vectors, long tokens) {
        }

        private final ObjectMapper mapper = ObjectMappers.jsonMapper();

        Parsed parse(byte[] body) throws IOException {
            CreateEmbeddingResponse response = mapper.readValue(new ByteArrayInputStream(body), CreateEmbeddingResponse.class);
            List<Embedding> entries = response.data();
            if (entries.size() != INPUTS) {
                throw new IllegalStateException(entries.size() + " vectors");
            }
            float[][] ordered = new float[INPUTS][];
            for (Embedding e : entries) {
                int i = Math.toIntExact(e.index());
                EmbeddingValue v = e.embeddingValue();
                if (!v.isBase64() || ordered[i] != null) {
                    throw new IllegalStateException("entry " + i);
                }
                float[] vector = Float32Vectors.decode(Base64.getDecoder().decode(v.asBase64()));
                if (vector.length != DIMENSIONS) {
                    throw new IllegalStateException(vector.length + " dimensions");
                }
                ordered[i] = vector;
            }
            return new Parsed(new ArrayList<>(Arrays.asList(ordered)), response.usage().promptTokens());
        }
    }

    /** An answer as the API sends it, with random vectors of unit-scale values. */
    static byte[] answer(Random random) {
        StringBuilder json = new StringBuilder(INPUTS * 8300).append("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < INPUTS; i++) {
            float[] v = new float[DIMENSIONS];
            for (int d = 0; d < DIMENSIONS; d++) {
                v[d] = (float) (random.nextGaussian() * 0.025);
            }
            json.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                    .append(",\"embedding\":\"").append(Base64.getEncoder().encodeToString(Float32Vectors.encode(v)))
                    .append("\"}");
        }
        json.append("],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":41234,\"total_tokens\":41234}}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
