package dev.aar.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartLayoutTest {

    @Test
    void partsHaveTheirOffsetsAndTheLastHoldsTheRest() {
        PartLayout layout = new PartLayout(10, 4);

        assertThat(layout.partCount()).isEqualTo(3);
        assertThat(layout.offsetOf(1)).isZero();
        assertThat(layout.offsetOf(3)).isEqualTo(8);
        assertThat(layout.sizeOf(2)).isEqualTo(4);
        assertThat(layout.sizeOf(3)).isEqualTo(2);
        assertThat(new PartLayout(8, 4).sizeOf(2)).isEqualTo(4);
        assertThat(new PartLayout(1, 4).partCount()).isEqualTo(1);
    }

    @Test
    void partsOutsideTheFileAreRefused() {
        PartLayout layout = new PartLayout(10, 4);

        assertThatThrownBy(() -> layout.offsetOf(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> layout.sizeOf(4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> layout.sizeOf(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void impossibleLayoutsAreRefused() {
        assertThatThrownBy(() -> new PartLayout(0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PartLayout(10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PartLayout(Long.MAX_VALUE, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parts");
        assertThat(new PartLayout(Long.MAX_VALUE, Long.MAX_VALUE / 2).partCount()).isEqualTo(3);
    }
}
