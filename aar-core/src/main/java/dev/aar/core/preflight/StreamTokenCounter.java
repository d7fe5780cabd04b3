package dev.aar.core.preflight;

import com.knuddels.jtokkit.api.Encoding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Counts the tokens of a byte stream in bounded memory by cutting it into pieces just after a
 * newline followed by indentation (spaces, tabs) and a printable ASCII character. cl100k-style
 * pre-tokenisation never joins characters across such a point, so the sum over pieces equals the count of the whole text. A line longer
 * than {@value #MAX_PIECE} bytes is cut at a UTF-8 character boundary instead (off by a token or so).
 * One instance per thread.
 */
final class StreamTokenCounter {

    static final int PIECE = 64 * 1024;
    static final int MAX_PIECE = 1024 * 1024;

    private final Encoding encoding;
    private byte[] buf = new byte[PIECE];
    private int len;

    StreamTokenCounter(Encoding encoding) {
        this.encoding = encoding;
    }

    /** Counts the tokens of {@code head[0..headLen)} followed by the rest of {@code rest}. */
    long count(byte[] head, int headLen, InputStream rest) throws IOException {
        len = 0;
        long tokens = 0;
        append(head, headLen);
        while (true) {
            if (len == buf.length) {
                int cut = cutPoint();
                if (cut > 0) {
                    tokens += countPiece(cut);
                } else if (buf.length < MAX_PIECE) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                } else {
                    tokens += countPiece(charBoundary());
                }
                continue;
            }
            int r = rest.read(buf, len, buf.length - len);
            if (r < 0) {
                break;
            }
            len += r;
        }
        if (len > 0) {
            tokens += countPiece(len);
        }
        if (buf.length > PIECE) {
            buf = new byte[PIECE];
        }
        return tokens;
    }

    private void append(byte[] src, int n) {
        while (buf.length < len + n) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        System.arraycopy(src, 0, buf, len, n);
        len += n;
    }

    /**
     * Returns the last index i where buf[i-1] is '\n' and the spaces and tabs from i on end in a
     * printable ASCII character (so no newline run or trailing-space run continues past i), or 0.
     */
    private int cutPoint() {
        int firstPrintable = -1;
        for (int i = len - 1; i > 0; i--) {
            int b = buf[i];
            if (b > ' ' && b < 0x7f) {
                firstPrintable = i;
            } else if (b != ' ' && b != '\t') {
                firstPrintable = -1;
            }
            if (buf[i - 1] == '\n' && firstPrintable >= 0) {
                return i;
            }
        }
        return 0;
    }

    private int charBoundary() {
        int i = len - 1;
        while (i > 0 && (buf[i] & 0xc0) == 0x80) {
            i--;
        }
        return i > 0 ? i : len;
    }

    private long countPiece(int n) {
        String text = new String(buf, 0, n, StandardCharsets.UTF_8);
        System.arraycopy(buf, n, buf, 0, len - n);
        len -= n;
        return encoding.countTokensOrdinary(text);
    }
}
