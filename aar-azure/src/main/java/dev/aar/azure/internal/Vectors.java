package dev.aar.azure.internal;

import dev.aar.core.embedding.Float32Vectors;
import java.util.Base64;
import java.util.List;

/** Turns the embeddings API's two vector encodings into {@code float[]} without boxing each element. */
public final class Vectors {

    private Vectors() {
    }

    /** Decodes Base64 of little-endian IEEE-754 float32 values, the API's {@code encoding_format=base64}. */
    public static float[] fromBase64(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("base64 vector is " + bytes.length + " bytes, not a multiple of 4");
        }
        return Float32Vectors.decode(bytes);
    }

    /** Copies a JSON float array. */
    public static float[] fromFloats(List<Float> values) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return v;
    }
}
