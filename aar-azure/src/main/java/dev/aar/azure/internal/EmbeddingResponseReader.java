package dev.aar.azure.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.aar.embedding.EmbeddingProviderException;
import dev.aar.embedding.EmbeddingResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads the embeddings API's answer, {@code {"data":[{"index":0,"embedding":…},…],"usage":{"prompt_tokens":…}}},
 * from the response body with Jackson's streaming parser straight into {@code float[]}s. A Base64 vector
 * (little-endian float32) is taken from the parser's own character buffer, not as a String, and decoded
 * by {@code java.util.Base64} into a buffer reused for the whole answer; a JSON array of numbers is read
 * number by number. Unknown fields are skipped.
 *
 * <p>Why by hand rather than through openai-java's {@code CreateEmbeddingResponse}: that model goes
 * through Jackson databind (token buffers, a tree per vector, a String per Base64 vector), which costs
 * CPU per answer and, in a CLI run that parses 1,316 answers, a lot of JIT compilation. One answer of
 * 100 Base64 vectors of 1,536 dimensions (824 KB) read from a byte stream, CPU milliseconds per answer
 * (JDK 17.0.15, 2 shared cores, load average 2.8–3.2; "process" adds the JIT compiler and GC threads):
 * <pre>
 * java -cp aar-benchmarks/target/benchmarks.jar dev.aar.benchmarks.indexing.EmbeddingResponseParseBenchmark \
 *     cold model|reader 200|1316     # a fresh JVM each, alternating; then: warm 9 500
 *                    first 200, thread / process   1,316 answers, process   warm, median of 9   allocated
 *   openai-java model   4.63–4.74 / 9.45–9.90          2.84–3.02                1.24             3.51 MB
 *   this reader         1.33–1.61 / 2.40–3.20          1.09–1.10                0.73             0.65 MB
 * </pre>
 * Decoding the Base64 inside Jackson ({@code readBinaryValue} into the array) was tried first: 1.3–1.4 ms
 * warm (same benchmark, load 5), no better than the model, as its decoder is slower than
 * {@code java.util.Base64}. See
 * docs/BENCHMARKS.md, "Parsing embedding responses without the databind model (issue 19)".
 *
 * <p>All the work a body can cause is bounded, and everything wrong with it is an
 * {@link EmbeddingProviderException} from {@link OpenAiErrors#unusable}: the body may be at most
 * {@link #maxBodyBytes} long and nest {@value #MAX_DEPTH} levels deep, and a string that is read may
 * hold the Base64 of {@value #MAX_COUNTED_DIMENSIONS} floats (Jackson's {@link StreamReadConstraints};
 * strings that are skipped are never held); reading stops at the first entry of {@code data} beyond the
 * number of inputs, and at the {@value #MAX_COUNTED_DIMENSIONS}th number of a vector. A failure to read
 * the body itself (reset, timeout) is thrown as the plain {@link IOException}: the caller decides what
 * that means. The body is closed in every case.
 */
public final class EmbeddingResponseReader {

    /** The answer nests four levels (answer, data, entry, vector); unknown fields get some room. */
    static final int MAX_DEPTH = 32;

    /** A vector longer than this is not read to its end: the reader gives up on it. */
    static final int MAX_COUNTED_DIMENSIONS = 65_536;

    /** Base64 of {@link #MAX_COUNTED_DIMENSIONS} float32 values. */
    private static final int MAX_STRING_LENGTH = 4 * ((MAX_COUNTED_DIMENSIONS * Float.BYTES + 2) / 3);

    private static final int MAX_NAME_LENGTH = 1024;

    private final int dimensions;
    private final String model;
    private final OpenAiErrors errors;

    /**
     * @param dimensions the length every vector must have
     * @param model the model, for the message when the lengths differ
     * @param errors turns an unusable answer into the provider's exception
     */
    public EmbeddingResponseReader(int dimensions, String model, OpenAiErrors errors) {
        this.dimensions = dimensions;
        this.model = model;
        this.errors = errors;
    }

    /**
     * Longest body accepted for {@code inputs} vectors: generous room per vector (64 bytes per dimension
     * holds a float as JSON decimals with indentation; Base64 needs 5.4) and per entry for other fields.
     */
    public long maxBodyBytes(int inputs) {
        return 64 * 1024 + (long) inputs * (4096 + 64L * dimensions);
    }

    /**
     * Reads an answer to a request of {@code inputs} texts, and closes {@code body}.
     *
     * @return the vectors in input order and the API's {@code usage.prompt_tokens}
     * @throws EmbeddingProviderException the answer is not one this reader can use
     * @throws IOException the body could not be read to its end
     */
    public EmbeddingResult read(InputStream body, int inputs) throws IOException {
        // a factory per answer, since the body's limit depends on the batch; making one costs microseconds
        JsonFactory json = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxDocumentLength(maxBodyBytes(inputs)).maxNestingDepth(MAX_DEPTH)
                .maxStringLength(MAX_STRING_LENGTH).maxNameLength(MAX_NAME_LENGTH).build()).build();
        try (body; JsonParser parser = json.createParser(body)) {
            return new Answer(parser, inputs).read();
        } catch (StreamConstraintsException e) {
            throw errors.unusable("the answer is out of bounds: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw errors.unusable("the answer is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (EmbeddingProviderException e) {
            throw e;
        } catch (RuntimeException e) {
            // whatever the parser refuses in a way not foreseen here
            throw errors.unusable(String.valueOf(e.getMessage()), e);
        }
    }

    private EmbeddingProviderException unusable(String why) {
        return errors.unusable(why, null);
    }

    private EmbeddingProviderException wrongLength(String length) {
        return unusable("a vector has " + length + " dimensions, but " + dimensions + " are configured for " + model
                + "; set OpenAiEmbeddingConfig.dimensions");
    }

    private EmbeddingProviderException outOfRange(String index) {
        return unusable("vector index " + index + " is out of range or repeated");
    }

    /** One answer being read. */
    private final class Answer {

        private final JsonParser parser;
        private final float[][] ordered;
        private int count;
        /** A Base64 vector as bytes, then decoded: reused, since every vector of an answer has the same length. */
        private byte[] ascii = new byte[0];
        private byte[] decoded = new byte[0];

        Answer(JsonParser parser, int inputs) {
            this.parser = parser;
            this.ordered = new float[inputs][];
        }

        EmbeddingResult read() throws IOException {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw unusable("the answer is not a JSON object");
            }
            boolean data = false;
            boolean usage = false;
            long tokens = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("data")) {
                    if (value != JsonToken.START_ARRAY) {
                        throw unusable("`data` is not an array");
                    }
                    data = true;
                    data();
                } else if (name.equals("usage") && value == JsonToken.START_OBJECT) {
                    usage = true;
                    tokens = promptTokens();
                } else {
                    parser.skipChildren();
                }
            }
            if (!data) {
                throw unusable("`data` is not set");
            }
            if (count != ordered.length) {
                throw unusable(count + " vectors for " + ordered.length + " inputs");
            }
            if (tokens < 0) {
                throw unusable(usage ? "`prompt_tokens` is not set" : "`usage` is not set");
            }
            return new EmbeddingResult(Arrays.asList(ordered), tokens);
        }

        private void data() throws IOException {
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (count == ordered.length) {
                    throw unusable("more than " + count + " vectors for " + ordered.length + " inputs");
                }
                if (token != JsonToken.START_OBJECT) {
                    throw unusable("an entry of `data` is not an object");
                }
                entry();
                count++;
            }
        }

        private void entry() throws IOException {
            int index = -1;
            float[] vector = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("index")) {
                    index = index(value);
                } else if (name.equals("embedding")) {
                    vector = vector(value);
                } else {
                    parser.skipChildren();
                }
            }
            if (index < 0) {
                throw unusable("`index` is not set");
            }
            if (vector == null) {
                throw unusable("`embedding` is not set");
            }
            if (ordered[index] != null) {
                throw outOfRange(String.valueOf(index));
            }
            ordered[index] = vector;
        }

        private int index(JsonToken value) throws IOException {
            if (value != JsonToken.VALUE_NUMBER_INT) {
                throw unusable("`index` is not an integer");
            }
            if (parser.getNumberType() != JsonParser.NumberType.INT) {
                throw outOfRange(parser.getText());
            }
            int index = parser.getIntValue();
            if (index < 0 || index >= ordered.length) {
                throw outOfRange(String.valueOf(index));
            }
            return index;
        }

        private float[] vector(JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_STRING) {
                return fromBase64();
            }
            if (value == JsonToken.START_ARRAY) {
                return fromNumbers();
            }
            throw unusable("`embedding` is neither a Base64 string nor an array of numbers");
        }

        private float[] fromBase64() throws IOException {
            // the parser's own buffer, not a String; a string beyond MAX_STRING_LENGTH stops the parser on the way
            char[] text = parser.getTextCharacters();
            int offset = parser.getTextOffset();
            int length = parser.getTextLength();
            if (ascii.length != length) {
                ascii = new byte[length];
                decoded = new byte[length / 4 * 3 + 3];
            }
            for (int i = 0; i < length; i++) {
                char c = text[offset + i];
                if (c > 0x7f) {
                    throw unusable("a vector is not valid Base64: it holds U+" + String.format("%04X", (int) c));
                }
                ascii[i] = (byte) c;
            }
            int n;
            try {
                n = Base64.getDecoder().decode(ascii, decoded);
            } catch (IllegalArgumentException e) {
                throw errors.unusable("a vector is not valid Base64: " + e.getMessage(), e);
            }
            if (n % Float.BYTES != 0) {
                throw unusable("base64 vector is " + n + " bytes, not a multiple of 4");
            }
            if (n != dimensions * Float.BYTES) {
                throw wrongLength(String.valueOf(n / Float.BYTES));
            }
            float[] vector = new float[dimensions];
            ByteBuffer.wrap(decoded, 0, n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
            return vector;
        }

        private float[] fromNumbers() throws IOException {
            float[] vector = new float[dimensions];
            int n = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
                    throw unusable("a vector holds " + token + " where numbers belong");
                }
                if (n < dimensions) {
                    // through double, as openai-java's model read them (a tree of DoubleNodes): the same floats, bit for bit
                    vector[n] = (float) parser.getDoubleValue();
                } else if (n == MAX_COUNTED_DIMENSIONS) {
                    throw wrongLength("more than " + MAX_COUNTED_DIMENSIONS);
                }
                n++;
            }
            if (n != dimensions) {
                throw wrongLength(String.valueOf(n));
            }
            return vector;
        }

        private long promptTokens() throws IOException {
            long tokens = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("prompt_tokens")) {
                    if (value != JsonToken.VALUE_NUMBER_INT) {
                        throw unusable("`prompt_tokens` is not an integer");
                    }
                    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER || parser.getLongValue() < 0) {
                        throw unusable("`prompt_tokens` is out of range: " + parser.getText());
                    }
                    tokens = parser.getLongValue();
                } else {
                    parser.skipChildren();
                }
            }
            return tokens;
        }
    }
}
