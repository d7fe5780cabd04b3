package dev.aar.core.extract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** Writes tar archives block by block, hostile ones included (lying sizes, PAX records, GNU long names). */
final class TarBuilder {

    private final OutputStream out;

    /** Builds in memory: {@link #tar()}, {@link #tarGz()}, {@link #tarXz()}. */
    TarBuilder() {
        this.out = new ByteArrayOutputStream();
    }

    /** Writes straight to {@code out} (a large archive); {@link #end()} finishes it. */
    TarBuilder(OutputStream out) {
        this.out = out;
    }

    TarBuilder file(String name, String text) {
        return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    TarBuilder file(String name, byte[] data) {
        return entry(name, '0', "", data);
    }

    TarBuilder directory(String name) {
        return entry(name, '5', "", new byte[0]);
    }

    /** An entry of any type flag with its data. */
    TarBuilder entry(String name, char type, String linkName, byte[] data) {
        header(name, type, linkName, data.length);
        return data(data);
    }

    /** A PAX extended header ({@code x}) whose records apply to the next entry. */
    TarBuilder pax(String... keyValues) {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (int i = 0; i < keyValues.length; i += 2) {
            records.writeBytes(paxRecord(keyValues[i], keyValues[i + 1]));
        }
        return entry("PaxHeaders/x", 'x', "", records.toByteArray());
    }

    /** A GNU long-name entry ({@code L}) naming the next entry. */
    TarBuilder gnuLongName(String name) {
        byte[] b = (name + "\0").getBytes(StandardCharsets.UTF_8);
        return entry("././@LongLink", 'L', "", b);
    }

    /** A bare header: its data (if any) must follow through {@link #data}. */
    TarBuilder header(String name, char type, String linkName, long size) {
        byte[] h = new byte[512];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        put(h, 100, 8, octal(0644, 7));
        put(h, 108, 8, octal(0, 7));
        put(h, 116, 8, octal(0, 7));
        put(h, 124, 12, octal(size, 11));
        put(h, 136, 12, octal(1_700_000_000L, 11));
        h[156] = (byte) type;
        put(h, 157, 100, linkName.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, (octal(sum, 6) + "\0 ").getBytes(StandardCharsets.US_ASCII));
        write(h);
        return this;
    }

    /** Entry data, padded to the next 512-byte block. */
    TarBuilder data(byte[] data) {
        write(data);
        write(new byte[(512 - data.length % 512) % 512]);
        return this;
    }

    /** The two zero blocks that end an archive written to a stream. */
    void end() {
        write(new byte[1024]);
    }

    private void write(byte[] b) {
        try {
            out.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The archive with its two zero blocks. */
    byte[] tar() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(((ByteArrayOutputStream) out).toByteArray());
        b.writeBytes(new byte[1024]);
        return b.toByteArray();
    }

    byte[] tarGz() {
        return gzip(tar());
    }

    byte[] tarXz() {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (XZCompressorOutputStream xz = new XZCompressorOutputStream(b)) {
                xz.write(tar());
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
                gz.write(data);
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] paxRecord(String key, String value) {
        int body = key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length + 3;
        int len = body + 1;
        while (len != body + String.valueOf(len).length()) {
            len = body + String.valueOf(len).length();
        }
        return (len + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String octal(long v, int digits) {
        String s = Long.toOctalString(v);
        return "0".repeat(Math.max(0, digits - s.length())) + s;
    }

    private static void put(byte[] h, int at, int max, String s) {
        put(h, at, max, s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void put(byte[] h, int at, int max, byte[] b) {
        System.arraycopy(b, 0, h, at, Math.min(max, b.length));
    }
}
