package dev.aar.jdbc.internal;

import dev.aar.core.embedding.Float32Vectors;

/** The stored form of vectors ({@link Float32Vectors}) and the cosine the SQL stores rank by. */
final class Vectors {

    private Vectors() {
    }

    static byte[] encode(float[] vector) {
        return Float32Vectors.encode(vector);
    }

    static float[] decode(byte[] bytes) {
        return Float32Vectors.decode(bytes);
    }

    /** Returns {@code v / |v|}; a zero vector stays zero. */
    static float[] unit(float[] v) {
        return Float32Vectors.unit(v);
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
