package dev.aar.jdbc.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Converts float32 vectors to and from their stored form: little-endian IEEE 754, 4 bytes per dimension. */
final class Vectors {

    private Vectors() {
    }

    static byte[] encode(float[] vector) {
        ByteBuffer buf = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(vector);
        return buf.array();
    }

    static float[] decode(byte[] bytes) {
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    /** Returns {@code v / |v|}; a zero vector stays zero. */
    static float[] unit(float[] v) {
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

    /** Returns the cosine similarity of a unit query and a stored (not necessarily unit) vector. */
    static double cosine(float[] unitQuery, float[] stored) {
        double dot = 0;
        double norm = 0;
        for (int i = 0; i < stored.length; i++) {
            dot += (double) unitQuery[i] * stored[i];
            norm += (double) stored[i] * stored[i];
        }
        return norm == 0 ? 0 : dot / Math.sqrt(norm);
    }
}
