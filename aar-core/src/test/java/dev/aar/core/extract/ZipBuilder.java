package dev.aar.core.extract;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Writes ZIP archives byte by byte, so tests can build every kind of broken or hostile archive. */
public final class ZipBuilder {

    /** One entry; every field can be set to a lie. */
    public static final class Entry {
        byte[] name;
        byte[] localName;
        byte[] data = new byte[0];
        int method = 8;
        int flags;
        int madeBy = 0x0314; // Unix, 2.0
        long externalAttributes = 0100644L << 16;
        Long crc;
        Long usize;
        boolean descriptor;
        boolean zip64;
        Integer sharesDataOf;
        long pointsIntoDelta;
        byte[] rawCompressed;

        public Entry utf8Flag() { flags |= 1 << 11; return this; }
        public Entry stored() { method = 0; return this; }
        public Entry method(int m) { method = m; return this; }
        public Entry encrypted() { flags |= 1; return this; }
        public Entry mode(int unixMode) { externalAttributes = (long) unixMode << 16; return this; }
        public Entry crc(long v) { crc = v; return this; }
        public Entry declaredSize(long v) { usize = v; return this; }
        public Entry descriptor() { descriptor = true; flags |= 1 << 3; return this; }
        public Entry zip64() { zip64 = true; return this; }
        public Entry localName(String n) { localName = n.getBytes(StandardCharsets.UTF_8); return this; }
        /** The central record points at entry {@code index}'s local header (an overlapping-entry bomb). */
        public Entry sharesDataOf(int index) { sharesDataOf = index; return this; }
        /** No local entry; the central record points {@code delta} bytes into entry {@code index}'s local entry. */
        public Entry pointsInto(int index, long delta) { sharesDataOf = index; pointsIntoDelta = delta; return this; }
        /** Uses these bytes as the compressed data as they are. */
        public Entry rawCompressed(byte[] raw) { rawCompressed = raw; return this; }
    }

    private final List<Entry> entries = new ArrayList<>();
    private byte[] trailing = new byte[0];

    public Entry add(String name, String content) {
        return add(name.getBytes(StandardCharsets.UTF_8), content.getBytes(StandardCharsets.UTF_8));
    }

    public Entry add(String name, byte[] content) {
        return add(name.getBytes(StandardCharsets.UTF_8), content);
    }

    public Entry add(byte[] name, byte[] content) {
        Entry e = new Entry();
        e.name = name;
        e.data = content;
        entries.add(e);
        return e;
    }

    /** Adds bytes after the end record. */
    public ZipBuilder trailing(byte[] bytes) {
        trailing = bytes;
        return this;
    }

    public static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_SPEED, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        while (!d.finished()) {
            int n = d.deflate(buf);
            out.write(buf, 0, n);
        }
        d.end();
        return out.toByteArray();
    }

    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] offsets = new long[entries.size()];
        long[] csizes = new long[entries.size()];
        long[] crcs = new long[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            CRC32 crc = new CRC32();
            crc.update(e.data);
            crcs[i] = e.crc != null ? e.crc : crc.getValue();
            byte[] comp = e.rawCompressed != null ? e.rawCompressed : e.method == 8 ? deflate(e.data) : e.data;
            csizes[i] = comp.length;
            long usize = e.usize != null ? e.usize : e.data.length;
            if (e.sharesDataOf != null) {
                continue;
            }
            offsets[i] = out.size();
            byte[] lname = e.localName != null ? e.localName : e.name;
            byte[] extra = e.zip64 ? le(0x0001, 2, 16, 2, usize, 8, (long) comp.length, 8) : new byte[0];
            long lcrc = e.descriptor ? 0 : crcs[i];
            long lc = e.descriptor ? 0 : e.zip64 ? 0xffffffffL : comp.length;
            long lu = e.descriptor ? 0 : e.zip64 ? 0xffffffffL : usize;
            out.writeBytes(le(0x04034b50L, 4, 20, 2, e.flags, 2, e.method, 2, 0, 4, lcrc, 4, lc, 4, lu, 4,
                    lname.length, 2, extra.length, 2));
            out.writeBytes(lname);
            out.writeBytes(extra);
            out.writeBytes(comp);
            if (e.descriptor) {
                out.writeBytes(le(0x08074b50L, 4, crcs[i], 4, (long) comp.length, 4, usize, 4));
            }
        }
        long cdStart = out.size();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            int src = e.sharesDataOf != null && e.pointsIntoDelta == 0 ? e.sharesDataOf : i;
            long offset = e.sharesDataOf != null ? offsets[e.sharesDataOf] + e.pointsIntoDelta : offsets[i];
            long usize = e.usize != null ? e.usize : e.data.length;
            byte[] extra = e.zip64 ? le(0x0001, 2, 24, 2, usize, 8, csizes[src], 8, offset, 8) : new byte[0];
            out.writeBytes(le(0x02014b50L, 4, e.madeBy, 2, 20, 2, e.flags, 2, e.method, 2, 0, 4, crcs[i], 4,
                    e.zip64 ? 0xffffffffL : csizes[src], 4, e.zip64 ? 0xffffffffL : usize, 4, e.name.length, 2,
                    extra.length, 2, 0, 2, 0, 2, 0, 2, e.externalAttributes, 4,
                    e.zip64 ? 0xffffffffL : offset, 4));
            out.writeBytes(e.name);
            out.writeBytes(extra);
        }
        long cdSize = out.size() - cdStart;
        out.writeBytes(le(0x06054b50L, 4, 0, 2, 0, 2, entries.size(), 2, entries.size(), 2, cdSize, 4, cdStart, 4, 0, 2));
        out.writeBytes(trailing);
        return out.toByteArray();
    }

    /** Little-endian fields given as (value, width) pairs. */
    static byte[] le(Object... valueWidth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < valueWidth.length; i += 2) {
            long v = ((Number) valueWidth[i]).longValue();
            int w = (Integer) valueWidth[i + 1];
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
            out.write(b.array(), 0, w);
        }
        return out.toByteArray();
    }
}
