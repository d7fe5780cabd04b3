package dev.aar.core.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartChecksumTest {

    // SHA-256 and MD5 of "abc"
    static final String SHA_HEX = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    static final String SHA_B64 = "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=";
    static final String MD5_HEX = "900150983cd24fb0d6963f7d28e17f72";
    static final String MD5_B64 = "kAFQmDzST7DWlj99KOF/cg==";

    @Test
    void parsesHexAndBase64AsHeadersCarryThem() {
        assertThat(PartChecksum.sha256(SHA_HEX)).isEqualTo(PartChecksum.sha256(SHA_B64));
        assertThat(PartChecksum.sha256(SHA_HEX.toUpperCase()).hex()).isEqualTo(SHA_HEX);
        assertThat(PartChecksum.md5(MD5_B64).hex()).isEqualTo(MD5_HEX);
        assertThat(PartChecksum.md5(MD5_HEX)).isEqualTo(PartChecksum.md5(MD5_B64));
    }

    @Test
    void parsesCrc32cAsS3SendsItOrAsHex() {
        // CRC32C of "abc" is 0x364b3fb7
        assertThat(PartChecksum.crc32c("Nks/tw==")).isEqualTo(PartChecksum.crc32c("364b3fb7"));
        assertThat(PartChecksum.crc32c("Nks/tw==").hex()).isEqualTo("364b3fb7");
        assertThatThrownBy(() -> PartChecksum.crc32c(MD5_B64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 bytes");
    }

    @Test
    void refusesMalformedValuesNamingTheProblem() {
        assertThatThrownBy(() -> PartChecksum.sha256("xyz!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither hex nor base64");
        assertThatThrownBy(() -> PartChecksum.sha256(MD5_B64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }
}
