package dev.aar.core.extract.internal;

import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.ArchiveRejectedException.Reason;
import java.io.IOException;
import org.apache.commons.compress.archivers.zip.UnixStat;

/**
 * One central-directory or local file header (APPNOTE 4.3.7 and 4.3.12), with ZIP64 sizes applied.
 *
 * @param central whether this came from the central directory
 * @param versionMadeBy central only: host system in the high byte (3 = Unix)
 * @param flags general-purpose bit flags
 * @param method compression method (0 stored, 8 deflated, 9 Deflate64, 12 bzip2, others unsupported)
 * @param crc CRC-32 of the inflated data (0 in a local header with a data descriptor)
 * @param compressedSize compressed size
 * @param uncompressedSize inflated size
 * @param localOffset central only: offset of the local header
 * @param externalAttributes central only: host attributes; Unix mode in the high 16 bits
 * @param rawName the name's bytes
 * @param zip64 whether a ZIP64 extra field was present
 */
record ZipHeader(boolean central, int versionMadeBy, int flags, int method, long crc, long compressedSize,
                 long uncompressedSize, long localOffset, long externalAttributes, byte[] rawName, boolean zip64) {

    /** Compression methods read (APPNOTE 4.4.5); any other is skipped as unsupported. */
    static final int STORED = 0;
    static final int DEFLATED = 8;
    static final int DEFLATE64 = 9;
    static final int BZIP2 = 12;
    static final long LOCAL_SIG = 0x04034b50L;
    static final long CENTRAL_SIG = 0x02014b50L;
    static final long DESCRIPTOR_SIG = 0x08074b50L;
    static final long EOCD_SIG = 0x06054b50L;
    static final long ZIP64_EOCD_SIG = 0x06064b50L;
    static final long ZIP64_LOCATOR_SIG = 0x07064b50L;
    static final int FLAG_ENCRYPTED = 1;
    static final int FLAG_DESCRIPTOR = 1 << 3;
    static final int FLAG_STRONG_ENCRYPTION = 1 << 6;
    static final int FLAG_UTF8 = 1 << 11;
    static final int FLAG_MASKED_HEADERS = 1 << 13;
    private static final long MAX32 = 0xffffffffL;

    boolean utf8() {
        return (flags & FLAG_UTF8) != 0;
    }

    boolean encrypted() {
        return (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) != 0;
    }

    /** Returns whether the entry's compression method is one this package decodes. */
    boolean supportedMethod() {
        return method == STORED || method == DEFLATED || method == DEFLATE64 || method == BZIP2;
    }

    boolean hasDescriptor() {
        return (flags & FLAG_DESCRIPTOR) != 0;
    }

    /** Returns the Unix file type bits (S_IFMT) when the entry was made on Unix, else 0. */
    int unixType() {
        if ((versionMadeBy >> 8) != 3) {
            return 0;
        }
        return (int) ((externalAttributes >>> 16) & UnixStat.FILE_TYPE_FLAG);
    }

    /** Reads a central header whose signature was already consumed. */
    static ZipHeader readCentral(ZipInput in) throws IOException {
        int madeBy = in.u16();
        in.u16(); // version needed
        int flags = in.u16();
        int method = in.u16();
        in.u32(); // time and date
        long crc = in.u32();
        long csize = in.u32();
        long usize = in.u32();
        int nameLen = in.u16();
        int extraLen = in.u16();
        int commentLen = in.u16();
        int disk = in.u16();
        in.u16(); // internal attributes
        long external = in.u32();
        long offset = in.u32();
        byte[] name = readName(in, nameLen);
        boolean needU = usize == MAX32;
        boolean needC = csize == MAX32;
        boolean needO = offset == MAX32;
        boolean needD = disk == 0xffff;
        long[] z = readZip64(in, extraLen, needU, needC, needO, needD, name);
        in.skip(commentLen);
        if (z != null) {
            usize = z[0] >= 0 ? z[0] : usize;
            csize = z[1] >= 0 ? z[1] : csize;
            offset = z[2] >= 0 ? z[2] : offset;
            disk = z[3] >= 0 ? (int) z[3] : disk;
        } else if (needU || needC || needO) {
            throw corrupt(name, "declares ZIP64 sizes but has no ZIP64 extra field");
        }
        if (disk != 0) {
            throw new ArchiveRejectedException(Reason.UNSUPPORTED, EntryNames.printable(name),
                    "multi-disk (spanned) archives are not supported");
        }
        if ((flags & FLAG_MASKED_HEADERS) != 0) {
            throw new ArchiveRejectedException(Reason.UNSUPPORTED, EntryNames.printable(name),
                    "the archive uses central-directory encryption (masked local headers), which is not supported");
        }
        return new ZipHeader(true, madeBy, flags, method, crc, csize, usize, offset, external, name, z != null);
    }

    /** Reads a local header whose signature was already consumed. */
    static ZipHeader readLocal(ZipInput in) throws IOException {
        in.u16(); // version needed
        int flags = in.u16();
        int method = in.u16();
        in.u32(); // time and date
        long crc = in.u32();
        long csize = in.u32();
        long usize = in.u32();
        int nameLen = in.u16();
        int extraLen = in.u16();
        byte[] name = readName(in, nameLen);
        boolean need = usize == MAX32 || csize == MAX32;
        // A local ZIP64 field holds both sizes whenever present (APPNOTE 4.5.3).
        long[] z = readZip64(in, extraLen, true, true, false, false, name);
        if (z != null) {
            usize = z[0] >= 0 ? z[0] : usize;
            csize = z[1] >= 0 ? z[1] : csize;
        } else if (need && (flags & FLAG_DESCRIPTOR) == 0) {
            throw corrupt(name, "declares ZIP64 sizes but has no ZIP64 extra field");
        }
        return new ZipHeader(false, 0, flags, method, crc, csize, usize, -1, 0, name, z != null);
    }

    private static byte[] readName(ZipInput in, int nameLen) throws IOException {
        if (nameLen > EntryNames.MAX_NAME_BYTES) {
            byte[] prefix = new byte[64];
            in.readFully(prefix, 0, prefix.length);
            throw new ArchiveRejectedException(Reason.BAD_ENTRY_NAME, EntryNames.printable(prefix),
                    "entry name is " + nameLen + " bytes long; at most " + EntryNames.MAX_NAME_BYTES + " are accepted");
        }
        byte[] name = new byte[nameLen];
        in.readFully(name, 0, nameLen);
        return name;
    }

    /**
     * Walks the extra fields; returns {usize, csize, offset, disk} from a ZIP64 field (-1 for absent
     * values) or null when there is none. Only the values whose 32-bit field overflowed are present.
     */
    private static long[] readZip64(ZipInput in, int extraLen, boolean u, boolean c, boolean o, boolean d, byte[] name)
            throws IOException {
        long[] result = null;
        int left = extraLen;
        while (left >= 4) {
            int id = in.u16();
            int size = in.u16();
            left -= 4;
            if (size > left) {
                throw corrupt(name, "has an extra field running past its header");
            }
            if (id == 0x0001 && result == null) {
                result = new long[] {-1, -1, -1, -1};
                int avail = size;
                if (u && avail >= 8) { result[0] = in.u64(); avail -= 8; }
                if (c && avail >= 8) { result[1] = in.u64(); avail -= 8; }
                if (o && avail >= 8) { result[2] = in.u64(); avail -= 8; }
                if (d && avail >= 4) { result[3] = in.u32(); avail -= 4; }
                in.skip(avail);
                for (int i = 0; i < 3; i++) {
                    if (result[i] < -1) {
                        throw corrupt(name, "has a ZIP64 size beyond 2^63");
                    }
                }
            } else {
                in.skip(size);
            }
            left -= size;
        }
        in.skip(left);
        return result;
    }

    static ArchiveRejectedException corrupt(byte[] name, String what) {
        String shown = name == null ? null : EntryNames.printable(name);
        return new ArchiveRejectedException(Reason.CORRUPT, shown,
                (shown == null ? "the archive " : "entry '" + shown + "' ") + what);
    }
}
