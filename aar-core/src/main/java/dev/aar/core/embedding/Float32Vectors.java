package dev.aar.core.embedding;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Embedding vectors as the stores and providers exchange them: little-endian IEEE 754 float32,
 * 4 bytes per dimension (the OpenAI API's {@code base64} encoding, and the SQL stores' column), and
 * scaled to unit length for cosine search. One place, so every backend agrees byte for byte.
 */
public final class Float32Vectors {

    private Float32Vectors() {
    }

    /** Returns {@code vector} as little-endian float32 bytes. */
    public static byte[] encode(float[] vector) {
        ByteBuffer buf = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(vector);
        return buf.array();
    }

    /** Reads little-endian float32 bytes; a trailing partial value is ignored (callers check the length). */
    public static float[] decode(byte[] bytes) {
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    /** Returns {@code v / |v|}; a zero vector stays zero. */
    public static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        float[] u = new float[v.length];
        if (norm == 0) {
            return u;
        }
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (v[i] / norm);
        }
        return u;
    }
}
