package dev.aar.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetHashesTest {

    private static final String A = "12f560dc48b56462342dab47380ffd119047b13dddd9d75b5d22dac3d31ce8b1";
    private static final String B = "28399257ef8b54154f55f255f549930af81d25b6a7adf8739b7ea939c9738b80";

    @Test
    void onlyAHashMetBeforeNeedsALookup() {
        MetHashes met = new MetHashes(10);
        assertThat(met.needsLookup(A)).isFalse();
        assertThat(met.needsLookup(B)).isFalse();
        assertThat(met.needsLookup(A)).isTrue();
        assertThat(met.needsLookup(B)).isTrue();
    }

    @Test
    void hashesSharingTheirFirst64BitsCostALookupAndNothingElse() {
        String twin = A.substring(0, 16) + "0".repeat(48);
        MetHashes met = new MetHashes(10);
        assertThat(met.needsLookup(A)).isFalse();
        assertThat(met.needsLookup(twin)).isTrue();
    }

    @Test
    void pastTheBoundEveryHashNeedsALookup() {
        MetHashes met = new MetHashes(2);
        assertThat(met.needsLookup(A)).isFalse();
        assertThat(met.needsLookup(B)).isFalse();
        assertThat(met.needsLookup("c".repeat(64))).as("bound reached").isTrue();
        assertThat(met.needsLookup("d".repeat(64))).isTrue();
        assertThat(met.needsLookup(A)).isTrue();
    }

    @Test
    void anyStringIsAKeyEvenIfItIsNotHex() {
        assertThat(MetHashes.key("short")).isEqualTo("short".hashCode());
        assertThat(MetHashes.key("not-hex-but-long-enough-for-16")).isEqualTo("not-hex-but-long-enough-for-16".hashCode());
        assertThat(MetHashes.key(A)).isEqualTo(0x12f560dc48b56462L);
        MetHashes met = new MetHashes(10);
        assertThat(met.needsLookup("")).isFalse();
        assertThat(met.needsLookup("")).isTrue();
    }

    @Test
    void aNegativeBoundIsRefused() {
        assertThatThrownBy(() -> new MetHashes(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
