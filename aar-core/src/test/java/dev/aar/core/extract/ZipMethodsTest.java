package dev.aar.core.extract;

import static dev.aar.core.extract.Archives.reject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.config.ScaleLimits;
import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.ArchiveRejectedException.Reason;
import dev.aar.core.extract.Archives.Mode;
import dev.aar.core.extract.internal.ArchiveWalker;
import dev.aar.core.extract.internal.EntryContent;
import dev.aar.core.extract.internal.EntryVisitor;
import dev.aar.core.extract.internal.ZipLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deflate64 (method 9) and bzip2 (method 12), decoded by commons-compress under the project's own
 * defences: archives made by 7-Zip and Info-ZIP extract, and bombs, corrupt data, wrong CRCs, truncation
 * and cancellation end the way they end for deflate.
 */
class ZipMethodsTest {

    static final ScaleLimits LIMITS = ScaleLimits.defaults();
    static final int DEFLATED = 8;
    static final int DEFLATE64 = 9;
    static final int BZIP2 = 12;
    static final int BOMB_SIZE = 40 << 20;

    /** {@code seq 1 20000}, the content of every {@code numbers.txt} fixture. */
    static final String NUMBERS = IntStream.rangeClosed(1, 20_000).mapToObj(Integer::toString)
            .collect(Collectors.joining("\n", "", "\n"));

    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(Mode.class)
    void archivesMadeBy7ZipAndInfoZipExtract(Mode mode) throws IOException {
        for (String fixture : new String[] {"deflate64.zip", "bzip2.zip"}) {
            Path dir = root.resolve(fixture);
            ExtractionResult r = Archives.extract(fixture(fixture), dir, mode, LIMITS, ExtractionOptions.defaults());
            assertThat(r.filesWritten()).as(fixture).isEqualTo(1);
            assertThat(r.skipCounts()).as(fixture).isEmpty();
            assertThat(Files.readString(dir.resolve("out/numbers.txt"))).as(fixture).isEqualTo(NUMBERS);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void bzip2WithADataDescriptorExtractsFromAFileAndIsUnsupportedOnAStream(Mode mode) throws IOException {
        byte[] zip = fixture("bzip2-streamed.zip");
        if (mode == Mode.FILE) {
            Archives.extract(zip, root, mode, LIMITS, ExtractionOptions.defaults());
            assertThat(Files.readString(root.resolve("out/numbers.txt"))).isEqualTo(NUMBERS);
        } else {
            // the outcome every entry without local sizes and not deflated gets on a stream
            assertThat(reject(zip, root, mode, LIMITS).reason()).isEqualTo(Reason.UNSUPPORTED);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void bombsAreRefusedWhileDecodingLikeADeflateBomb(Mode mode) {
        ScaleLimits bigFiles = LIMITS.toBuilder().maxFileSizeBytes(100L << 20).build();
        for (int method : new int[] {DEFLATED, DEFLATE64, BZIP2}) {
            // honest sizes, lying sizes: either way the bytes actually decoded trip the ratio
            for (Long declared : new Long[] {null, 10L}) {
                ZipBuilder b = new ZipBuilder();
                b.add("a.txt", new byte[0]).method(method).rawCompressed(bomb(method))
                        .declaredSize(declared == null ? BOMB_SIZE : declared).crc(0);
                ArchiveRejectedException x = reject(b.build(), root, mode, bigFiles);
                assertThat(x.reason()).as("method %d, declared %s", method, declared).isEqualTo(Reason.COMPRESSION_RATIO);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void bombsLyingAboutTheirSizeAreCutAtTheFileCapLikeADeflateBomb(Mode mode) {
        for (int method : new int[] {DEFLATED, DEFLATE64, BZIP2}) {
            ZipBuilder b = new ZipBuilder();
            b.add("a.txt", new byte[0]).method(method).rawCompressed(bomb(method)).declaredSize(10).crc(0);
            b.add("ok.txt", "ok");
            ExtractionResult r = Archives.extract(b.build(), root.resolve("m" + method), mode, LIMITS,
                    ExtractionOptions.defaults());
            assertThat(r.filesWritten()).as("method %d", method).isEqualTo(1);
            assertThat(r.skipCounts()).as("method %d", method).containsOnlyKeys(SkipReason.TOO_LARGE);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void corruptDataIsRefusedAsCorruptWithoutInternals(Mode mode) {
        byte[] deflate64 = raw(fixture("deflate64.zip"));
        deflate64[0] = 0x07; // BFINAL 1, BTYPE 11: a block type that does not exist
        byte[] bzip2Header = raw(fixture("bzip2.zip"));
        bzip2Header[0] = 'X'; // not "BZh"
        byte[] bzip2Block = raw(fixture("bzip2.zip"));
        bzip2Block[4] ^= 0x5a; // the block magic 31 41 59 26 53 59 follows "BZh6"
        byte[] bzip2BlockCrc = raw(fixture("bzip2.zip"));
        bzip2BlockCrc[10] ^= 0x5a; // the block's own CRC follows its magic: the decoder notices at the block's end
        // (a byte flipped at random may instead decode to bytes that look binary: skipped unread, like deflate)
        for (Object[] c : new Object[][] {{DEFLATE64, deflate64}, {BZIP2, bzip2Header}, {BZIP2, bzip2Block},
                {BZIP2, bzip2BlockCrc}}) {
            ZipBuilder b = new ZipBuilder();
            b.add("numbers.txt", NUMBERS).method((int) c[0]).rawCompressed((byte[]) c[1]);
            ArchiveRejectedException e = reject(b.build(), root, mode, LIMITS);
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.CORRUPT);
            assertThat(e.getMessage()).contains("numbers.txt").doesNotContain(root.toString()).doesNotContain("at org.");
            assertThat(e.getCause()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aWrongCrcIsRefused(Mode mode) {
        for (int method : new int[] {DEFLATE64, BZIP2}) {
            ZipBuilder b = new ZipBuilder();
            b.add("numbers.txt", NUMBERS).method(method).rawCompressed(rawOf(method)).crc(12345);
            ArchiveRejectedException e = reject(b.build(), root, mode, LIMITS);
            assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
            assertThat(e.getMessage()).contains("CRC");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void truncatedEntriesAreRefused(Mode mode) {
        for (int method : new int[] {DEFLATE64, BZIP2}) {
            // the headers declare half the data: the decoder must stop at the entry's end, not read on
            byte[] half = Arrays.copyOf(rawOf(method), rawOf(method).length / 2);
            ZipBuilder b = new ZipBuilder();
            b.add("numbers.txt", NUMBERS).method(method).rawCompressed(half);
            b.add("next.txt", "the next entry's header follows the cut data");
            assertThat(reject(b.build(), root, mode, LIMITS).reason()).isEqualTo(Reason.CORRUPT);
            // the archive itself ends in the middle of the data
            byte[] zip = fixture(method == DEFLATE64 ? "deflate64.zip" : "bzip2.zip");
            assertThat(reject(Arrays.copyOf(zip, zip.length / 2), root, mode, LIMITS).reason()).isEqualTo(Reason.CORRUPT);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void cancellationStopsDecodingInTheMiddleOfAnEntry(Mode mode) throws IOException {
        for (int method : new int[] {DEFLATE64, BZIP2}) {
            ZipBuilder b = new ZipBuilder();
            b.add("numbers.txt", NUMBERS).method(method).rawCompressed(rawOf(method));
            byte[] zip = b.build();
            Cancellation cancel = new Cancellation();
            long[] readBeforeCancel = new long[1];
            EntryVisitor visitor = new EntryVisitor() {
                @Override
                public void file(String path, long declaredSize, EntryContent content) throws IOException {
                    byte[] buf = new byte[512];
                    while (content.bytesRead() < 4096 && content.read(buf) > 0) {
                        // reading the first few blocks of the entry
                    }
                    readBeforeCancel[0] = content.bytesRead();
                    cancel.cancel();
                    while (content.read(buf) > 0) {
                        // cancellation is checked between reads
                    }
                }

                @Override
                public void skipped(String path, SkipReason reason, String detail) {
                }
            };
            ZipLimits limits = ZipLimits.of(LIMITS, ExtractionOptions.defaults());
            assertThatThrownBy(() -> {
                if (mode == Mode.FILE) {
                    Path file = root.resolve("m" + method + ".zip");
                    Files.write(file, zip);
                    ArchiveWalker.walk(file, limits, 1, cancel, visitor);
                } else {
                    ArchiveWalker.walk(new ByteArrayInputStream(zip), limits, cancel, visitor);
                }
            }).isInstanceOf(ExtractionCancelledException.class);
            assertThat(readBeforeCancel[0]).isBetween(4096L, (long) NUMBERS.length() - 1);
        }
    }

    /** A bomb of {@link #BOMB_SIZE} letters 'a' (text, so it is read, not skipped as binary), compressed with {@code method}. */
    static byte[] bomb(int method) {
        return switch (method) {
            case DEFLATED -> {
                byte[] a = new byte[BOMB_SIZE];
                Arrays.fill(a, (byte) 'a');
                yield ZipBuilder.deflate(a);
            }
            case DEFLATE64 -> deflate64Letters(BOMB_SIZE);
            default -> raw(fixture("bzip2-bomb.zip"));
        };
    }

    /**
     * Deflate64 of {@code n} letters 'a', laid out by hand: one final block with the fixed Huffman codes
     * (RFC 1951 3.2.6), a literal 'a', then matches at distance 1 (distance code 0, five bits 00000) of
     * length code 285, which in Deflate64 takes 16 extra bits for lengths 3..65538 (in deflate it means
     * 258 and takes none), then the end-of-block code. About 29 bits per 64 KiB: 40 MiB from ~2.3 KB.
     */
    static byte[] deflate64Letters(int n) {
        BitWriter w = new BitWriter();
        w.bits(1, 1); // BFINAL
        w.bits(1, 2); // BTYPE 01: fixed Huffman codes
        w.code(0x30 + 'a', 8); // literal 'a': codes 0-143 are 00110000 + value, 8 bits
        int left = n - 1;
        while (left > 0) {
            int length = Math.min(left, 65_538);
            if (length < 3) {
                for (int i = 0; i < length; i++) {
                    w.code(0x30 + 'a', 8);
                }
            } else {
                w.code(0xc0 + (285 - 280), 8); // codes 280-287 are 11000000 + (code - 280), 8 bits
                w.bits(length - 3, 16);
                w.code(0, 5); // distance code 0: distance 1
            }
            left -= length;
        }
        w.code(0, 7); // end of block (256): 0000000
        return w.finish();
    }

    /** Writes bits least significant first, and Huffman codes most significant bit first (RFC 1951 3.1.1). */
    private static final class BitWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long acc;
        private int count;

        void bits(long value, int n) {
            acc |= value << count;
            count += n;
            while (count >= 8) {
                out.write((int) acc & 0xff);
                acc >>>= 8;
                count -= 8;
            }
        }

        void code(int code, int length) {
            bits(Integer.reverse(code) >>> (32 - length), length);
        }

        byte[] finish() {
            if (count > 0) {
                out.write((int) acc & 0xff);
            }
            return out.toByteArray();
        }
    }

    private static byte[] rawOf(int method) {
        return raw(fixture(method == DEFLATE64 ? "deflate64.zip" : "bzip2.zip"));
    }

    /** The compressed data of the first entry of {@code zip}, whose local header carries the sizes. */
    static byte[] raw(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int csize = b.getInt(18);
        int start = 30 + (b.getShort(26) & 0xffff) + (b.getShort(28) & 0xffff);
        return Arrays.copyOfRange(zip, start, start + csize);
    }

    static byte[] fixture(String name) {
        try (InputStream in = ZipMethodsTest.class.getResourceAsStream("/zip-methods/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource zip-methods/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static {
        // the fixtures' text and the constant must agree, or every comparison above is meaningless
        if (NUMBERS.getBytes(StandardCharsets.US_ASCII).length != 108_894) {
            throw new ExceptionInInitializerError("NUMBERS is not seq 1 20000");
        }
    }
}
