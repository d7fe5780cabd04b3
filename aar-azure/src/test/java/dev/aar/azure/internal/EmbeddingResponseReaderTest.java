package dev.aar.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.core.ObjectMappers;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingValue;
import dev.aar.azure.EndlessBody;
import dev.aar.core.embedding.Float32Vectors;
import dev.aar.embedding.EmbeddingProviderException;
import dev.aar.embedding.EmbeddingResult;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link EmbeddingResponseReader} against openai-java's own model, and against bodies a hostile or broken server sends. */
class EmbeddingResponseReaderTest {

    private static final OpenAiErrors ERRORS = new OpenAiErrors("OpenAI", "OPENAI_API_KEY", "model 'm'", "sk-secret",
            Clock.systemUTC());

    private static EmbeddingResponseReader reader(int dimensions) {
        return new EmbeddingResponseReader(dimensions, "m", ERRORS);
    }

    // ---- the same vectors as before -------------------------------------------------------------------

    /** What the provider did before: openai-java's model, then Base64 or the boxed floats to float[]. */
    private static List<float[]> throughTheModel(byte[] body) throws IOException {
        CreateEmbeddingResponse response = ObjectMappers.jsonMapper().readValue(body, CreateEmbeddingResponse.class);
        float[][] ordered = new float[response.data().size()][];
        for (Embedding e : response.data()) {
            EmbeddingValue value = e.embeddingValue();
            float[] v;
            if (value.isBase64()) {
                v = Float32Vectors.decode(Base64.getDecoder().decode(value.asBase64()));
            } else {
                List<Float> floats = value.asFloats();
                v = new float[floats.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = floats.get(i);
                }
            }
            ordered[Math.toIntExact(e.index())] = v;
        }
        return List.of(ordered);
    }

    private static void assertSameBits(List<float[]> actual, List<float[]> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            int[] a = new int[actual.get(i).length];
            int[] e = new int[expected.get(i).length];
            for (int d = 0; d < a.length; d++) {
                a[d] = Float.floatToRawIntBits(actual.get(i)[d]);
            }
            for (int d = 0; d < e.length; d++) {
                e[d] = Float.floatToRawIntBits(expected.get(i)[d]);
            }
            assertThat(a).as("vector %d", i).containsExactly(e);
        }
    }

    /** Random float32 bit patterns: every exponent, subnormals, zeros of both signs, and NaNs with payloads. */
    private static float[] randomBits(Random random, int dimensions) {
        float[] v = new float[dimensions];
        for (int d = 0; d < dimensions; d++) {
            v[d] = Float.intBitsToFloat(random.nextInt());
        }
        v[0] = -0.0f;
        return v;
    }

    private static String answer(List<String> embeddings, boolean shuffled, long seed) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < embeddings.size(); i++) {
            order.add(i);
        }
        if (shuffled) {
            Collections.shuffle(order, new Random(seed));
        }
        StringBuilder json = new StringBuilder("{\"object\":\"list\",\"data\":[");
        for (int j = 0; j < order.size(); j++) {
            int i = order.get(j);
            json.append(j == 0 ? "" : ",");
            // fields in either order, as a server may send them
            if (i % 2 == 0) {
                json.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":").append(embeddings.get(i));
            } else {
                json.append("{\"embedding\":").append(embeddings.get(i)).append(",\"object\":\"embedding\",\"index\":").append(i);
            }
            json.append('}');
        }
        return json.append("],\"model\":\"m\",\"usage\":{\"prompt_tokens\":12,\"total_tokens\":12}}").toString();
    }

    private static String base64(float[] v) {
        return "\"" + Base64.getEncoder().encodeToString(Float32Vectors.encode(v)) + "\"";
    }

    @Test
    void base64VectorsAreTheModelsBitForBitInInputOrder() throws IOException {
        Random random = new Random(19);
        for (int dimensions : new int[] {1, 2, 3, 7, 1536, 3072}) {
            List<String> embeddings = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                embeddings.add(base64(randomBits(random, dimensions)));
            }
            byte[] body = answer(embeddings, true, dimensions).getBytes(StandardCharsets.UTF_8);

            EmbeddingResult result = reader(dimensions).read(new ByteArrayInputStream(body), 9);

            assertSameBits(result.vectors(), throughTheModel(body));
            assertThat(result.tokensUsed()).isEqualTo(12);
        }
    }

    @Test
    void floatVectorsAreTheModelsBitForBitWhateverTheDecimalsLookLike() throws IOException {
        Random random = new Random(20);
        int dimensions = 1536;
        // the same float written five ways (shortest float, shortest double, exact, 20 and 9 significant digits),
        // and a hair above the midpoint to the next float, where reading through double rounds differently
        // from reading straight to float: the model went through double, and so must the reader
        List<IntFunction<String>> ways = List.of(
                bits -> new BigDecimal(Float.intBitsToFloat(bits)).add(new BigDecimal(Math.nextUp(Float.intBitsToFloat(bits))))
                        .divide(BigDecimal.valueOf(2)).add(new BigDecimal(Math.ulp(Float.intBitsToFloat(bits))).movePointLeft(12))
                        .toString(),
                bits -> Float.toString(Float.intBitsToFloat(bits)),
                bits -> Double.toString(Float.intBitsToFloat(bits)),
                bits -> new BigDecimal(Float.intBitsToFloat(bits)).toString(),
                bits -> new BigDecimal(Float.intBitsToFloat(bits)).round(new MathContext(20)).toString(),
                bits -> new BigDecimal(Float.intBitsToFloat(bits)).round(new MathContext(9)).toString());
        List<String> embeddings = new ArrayList<>();
        for (IntFunction<String> way : ways) {
            for (int k = 0; k < 4; k++) {
                StringBuilder array = new StringBuilder("[");
                for (int d = 0; d < dimensions; d++) {
                    int bits;
                    do {
                        // finite values of every magnitude, and unit-scale ones as the API sends
                        bits = d % 2 == 0 ? random.nextInt() : Float.floatToIntBits((float) (random.nextGaussian() * 0.03));
                    } while (!Float.isFinite(Float.intBitsToFloat(bits)));
                    String number = way.apply(bits);
                    // an integral value written without a point would be an integer token; the API writes floats
                    array.append(d == 0 ? "" : ",").append(number.matches("-?\\d+") ? number + ".0" : number);
                }
                embeddings.add(array.append(']').toString());
            }
        }
        byte[] body = answer(embeddings, true, 5).getBytes(StandardCharsets.UTF_8);

        EmbeddingResult result = reader(dimensions).read(new ByteArrayInputStream(body), embeddings.size());

        assertSameBits(result.vectors(), throughTheModel(body));
    }

    @Test
    void unknownFieldsAnywhereAreSkippedAndDataMaySplitOrComeLast() throws IOException {
        String v0 = base64(new float[] {1, 2});
        String body = "{\"extra\":{\"deep\":[1,{\"x\":[\"y\"]}],\"s\":\"data\"},\"usage\":{\"total_tokens\":9,\"prompt_tokens\":7,"
                + "\"details\":{\"a\":1}},\"data\":[{\"index\":1,\"extension\":[[],{}],\"embedding\":[3.5,-4]}],\"model\":null,"
                + "\"data\":[{\"embedding\":" + v0 + ",\"index\":0,\"more\":null}]}";

        EmbeddingResult result = reader(2).read(stream(body), 2);

        assertThat(result.vectors().get(0)).containsExactly(1, 2);
        assertThat(result.vectors().get(1)).containsExactly(3.5f, -4f);
        assertThat(result.tokensUsed()).isEqualTo(7);
    }

    @Test
    void usageIsRequiredAsBefore() throws IOException {
        String data = "\"data\":[{\"index\":0,\"embedding\":[1.0]}]";
        assertThat(reader(1).read(stream("{" + data + ",\"usage\":{\"prompt_tokens\":0}}"), 1).tokensUsed()).isZero();
        assertThat(reader(1).read(stream("{" + data + ",\"usage\":{\"prompt_tokens\":3000000000}}"), 1).tokensUsed())
                .isEqualTo(3_000_000_000L);
        assertUnusable(reader(1), "{" + data + "}", 1, "`usage` is not set");
        assertUnusable(reader(1), "{" + data + ",\"usage\":null}", 1, "`usage` is not set");
        assertUnusable(reader(1), "{" + data + ",\"usage\":{\"total_tokens\":4}}", 1, "`prompt_tokens` is not set");
    }

    // ---- what a broken or hostile server sends ----------------------------------------------------------

    static Stream<Arguments> unusableBodies() {
        String one = "\"" + Base64.getEncoder().encodeToString(Float32Vectors.encode(new float[] {1, 2})) + "\"";
        String usage = ",\"usage\":{\"prompt_tokens\":1}}";
        return Stream.of(
                Arguments.of("", "not a JSON object"),
                Arguments.of("   ", "not a JSON object"),
                Arguments.of("hello", "not valid JSON"),
                Arguments.of("<html><body>502 Bad Gateway</body></html>", "not valid JSON"),
                Arguments.of("[]", "not a JSON object"),
                Arguments.of("null", "not a JSON object"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":\"AAAA", "not valid JSON"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":[1.0,", "not valid JSON"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":" + one + "}]", "not valid JSON"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":" + one + "}],}", "not valid JSON"),
                Arguments.of("{\"data\":[]" + usage, "0 vectors for 1 inputs"),
                Arguments.of("{\"object\":\"list\"" + usage, "`data` is not set"),
                Arguments.of("{\"data\":{}" + usage, "`data` is not an array"),
                Arguments.of("{\"data\":null" + usage, "`data` is not an array"),
                Arguments.of("{\"data\":[1]" + usage, "an entry of `data` is not an object"),
                Arguments.of("{\"data\":[{\"embedding\":" + one + "}]" + usage, "`index` is not set"),
                Arguments.of("{\"data\":[{\"index\":0}]" + usage, "`embedding` is not set"),
                Arguments.of("{\"data\":[{\"index\":1,\"embedding\":" + one + "}]" + usage, "vector index 1 is out of range"),
                Arguments.of("{\"data\":[{\"index\":-1,\"embedding\":" + one + "}]" + usage, "vector index -1 is out of range"),
                Arguments.of("{\"data\":[{\"index\":99999999999,\"embedding\":" + one + "}]" + usage,
                        "vector index 99999999999 is out of range"),
                Arguments.of("{\"data\":[{\"index\":\"0\",\"embedding\":" + one + "}]" + usage, "`index` is not an integer"),
                Arguments.of("{\"data\":[{\"index\":0.0,\"embedding\":" + one + "}]" + usage, "`index` is not an integer"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":null}]" + usage, "neither a Base64 string nor an array"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":{\"b\":" + one + "}}]" + usage, "neither a Base64 string"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":\"!!!!!!!!!!!!\"}]" + usage, "not valid Base64"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":\"AAAAAAAAAAA\u00c0\"}]" + usage, "not valid Base64: it holds U+00C0"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":\"AAAAAAAA\"}]" + usage, "base64 vector is 6 bytes, not a multiple of 4"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":\"AAAAAA==\"}]" + usage, "a vector has 1 dimensions, but 2 are configured for m"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":[1.0,2.0,3.0]}]" + usage, "a vector has 3 dimensions, but 2"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":[]}]" + usage, "a vector has 0 dimensions"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":[1.0,\"2\"]}]" + usage, "a vector holds VALUE_STRING"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":[1.0,null]}]" + usage, "a vector holds VALUE_NULL"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":[[1.0,2.0]]}]" + usage, "a vector holds START_ARRAY"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":[1.0,NaN]}]" + usage, "not valid JSON"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":" + one + "},{\"index\":0,\"embedding\":" + one + "}]" + usage,
                        "more than 1 vectors for 1 inputs"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":" + one + "}],\"usage\":{\"prompt_tokens\":\"5\"}}",
                        "`prompt_tokens` is not an integer"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":" + one + "}],\"usage\":{\"prompt_tokens\":-1}}",
                        "`prompt_tokens` is out of range: -1"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":" + one + "}],\"usage\":{\"prompt_tokens\":"
                        + "9".repeat(30) + "}}", "`prompt_tokens` is out of range"),
                Arguments.of("{\"junk\":" + "[".repeat(40) + "]".repeat(40) + "}", "out of bounds"),
                Arguments.of("{\"junk\":" + "9".repeat(2000) + "}", "out of bounds"),
                Arguments.of("{\"" + "k".repeat(2000) + "\":1}", "out of bounds"),
                Arguments.of("{\"data\":[{\"index\":0,\"embedding\":[" + "1".repeat(2000) + "]}]" + usage, "out of bounds"));
    }

    @ParameterizedTest
    @MethodSource("unusableBodies")
    void anUnusableAnswerIsATypedNonTransientErrorAndTheBodyIsClosed(String body, String message) {
        Recording stream = new Recording(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));

        EmbeddingProviderException e = catchThrowableOfType(EmbeddingProviderException.class,
                () -> reader(2).read(stream, 1));

        assertThat(e).as(body).isNotNull();
        assertThat(e.getMessage()).contains("answered for model 'm' but the answer is unusable", message);
        assertThat(e.statusCode()).isEqualTo(200);
        assertThat(e.isTransient()).isFalse();
        assertThat(stream.closed).isTrue();
    }

    /**
     * Bodies that never end. With 100 inputs of 2 dimensions a body may be 488 KB long, enough for a string
     * or an array of the longest vector counted; with 1 input, 70 KB, less than either.
     */
    static Stream<Arguments> endlessBodies() {
        String entry = "{\"index\":0,\"embedding\":[1.0,2.0]},";
        String vector = "{\"data\":[{\"index\":0,\"embedding\":";
        return Stream.of(
                Arguments.of(1, "{\"data\":[", entry, "more than 1 vectors for 1 inputs"),
                Arguments.of(100, vector + "\"", "AAAA", "out of bounds: String value length"),
                Arguments.of(100, vector + "[", "0.5,", "a vector has more than 65536 dimensions"),
                Arguments.of(1, vector + "\"", "AAAA", "out of bounds"),
                Arguments.of(1, vector + "[", "0.5,", "out of bounds"),
                Arguments.of(1, vector + "[", "[", "a vector holds START_ARRAY"),
                Arguments.of(100, "{\"junk\":\"", "x", "out of bounds"),
                Arguments.of(1, "{\"junk\":", "[", "out of bounds"),
                Arguments.of(1, "{\"junk\":[", "{\"a\":1},", "out of bounds"),
                Arguments.of(100, "{\"data\":[", " ", "out of bounds"));
    }

    @ParameterizedTest
    @MethodSource("endlessBodies")
    void anEndlessBodyIsReadOnlyToALimit(int inputs, String start, String repeated, String message) {
        EndlessBody stream = new EndlessBody(start, repeated);
        EmbeddingResponseReader reader = reader(2);

        EmbeddingProviderException e = catchThrowableOfType(EmbeddingProviderException.class,
                () -> reader.read(stream, inputs));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(message);
        assertThat(e.statusCode()).isEqualTo(200);
        assertThat(stream.isClosed()).isTrue();
        // no further than the limit, give or take what the parser reads ahead
        assertThat(stream.served()).isLessThan(reader.maxBodyBytes(inputs) + 64 * 1024);
    }

    @Test
    void aBodyThatBreaksOffIsAnIoExceptionForTheCallerAndIsClosed() {
        byte[] start = "{\"data\":[{\"index\":0,\"embedding\":[1.0,".getBytes(StandardCharsets.UTF_8);
        IOException reset = new IOException("Connection reset");
        Recording stream = new Recording(new InputStream() {
            int at;

            @Override
            public int read() throws IOException {
                if (at == start.length) {
                    throw reset;
                }
                return start[at++];
            }
        });

        IOException e = catchThrowableOfType(IOException.class, () -> reader(2).read(stream, 1));

        assertThat(e).isSameAs(reset);
        assertThat(stream.closed).isTrue();
    }

    private static void assertUnusable(EmbeddingResponseReader reader, String body, int inputs, String message) {
        EmbeddingProviderException e = catchThrowableOfType(EmbeddingProviderException.class,
                () -> reader.read(stream(body), inputs));
        assertThat(e).as(body).isNotNull();
        assertThat(e.getMessage()).contains(message);
    }

    private static InputStream stream(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Remembers whether it was closed. */
    static final class Recording extends FilterInputStream {
        volatile boolean closed;

        Recording(InputStream in) {
            super(in);
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }
}
