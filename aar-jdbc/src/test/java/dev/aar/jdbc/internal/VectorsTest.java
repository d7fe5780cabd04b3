package dev.aar.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VectorsTest {

    @Test
    void vectorsRoundTripAsLittleEndianFloat32() {
        float[] v = {1.5f, -0.25f, Float.MIN_VALUE, 3e38f};

        byte[] bytes = Vectors.encode(v);

        assertThat(bytes).hasSize(16).startsWith((byte) 0x00, (byte) 0x00, (byte) 0xC0, (byte) 0x3F);
        assertThat(Vectors.decode(bytes)).containsExactly(v);
    }

    @Test
    void cosineOfAUnitQueryAndAStoredVector() {
        float[] query = Vectors.unit(new float[] {3, 4});

        assertThat(Vectors.cosine(query, new float[] {6, 8})).isCloseTo(1.0, within(1e-6));
        assertThat(Vectors.cosine(query, new float[] {-4, 3})).isCloseTo(0.0, within(1e-6));
        assertThat(Vectors.cosine(query, new float[] {0, 0})).isZero();
    }
}
