package dev.aar.core.extract.internal;

import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.ArchiveRejectedException.Reason;
import dev.aar.core.extract.Cancellation;
import java.io.EOFException;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The inflated bytes of one entry, capped: after {@code cap + 1} bytes it reports end of data and
 * {@link #exceededCap()} turns true, whatever size the headers declared. Reading to the natural end
 * verifies the CRC and sizes; a mismatch refuses the archive as {@code CORRUPT}. Not thread-safe.
 */
final class ZipEntryContent extends EntryContent {

    private static final byte[] DUMMY = new byte[1];

    private final ZipInput in;
    private final String path;
    private final int method;
    private final Inflater inflater;
    private final boolean seekable;
    private final boolean descriptor;
    private final boolean zip64;
    private final InflationBudget budget;
    private final CRC32 crc = new CRC32();
    private long compressedSize;
    private long expectedCrc;
    private long expectedSize;
    private long consumed;
    private long lastRemaining;
    private boolean dummyFed;
    private boolean verified;

    ZipEntryContent(ZipInput in, String path, ZipHeader h, boolean seekable, long cap, Inflater inflater,
                 InflationBudget budget, Cancellation cancellation) {
        super(cap, cancellation);
        this.in = in;
        this.path = path;
        this.method = h.method();
        this.inflater = inflater;
        this.seekable = seekable;
        this.descriptor = !seekable && h.hasDescriptor();
        this.zip64 = h.zip64();
        this.budget = budget;
        this.compressedSize = descriptor ? -1 : h.compressedSize();
        this.expectedCrc = descriptor ? -1 : h.crc();
        this.expectedSize = descriptor ? -1 : h.uncompressedSize();
        inflater.reset();
    }

    @Override
    void accepted(byte[] b, int off, int r) {
        crc.update(b, off, r);
        budget.add(r, in.position());
    }

    @Override
    void atEnd() {
        verify();
    }

    @Override
    int produce(byte[] b, int off, int n) throws IOException {
        if (method == 0) {
            long left = compressedSize - consumed;
            if (left <= 0) {
                return -1;
            }
            int r = in.read(b, off, (int) Math.min(n, left));
            if (r == 0) {
                throw new EOFException("archive ends inside entry data");
            }
            consumed += r;
            return r;
        }
        while (true) {
            if (inflater.finished()) {
                return -1;
            }
            if (inflater.needsDictionary()) {
                throw corrupt("uses a preset dictionary, which ZIP does not allow");
            }
            if (inflater.needsInput()) {
                long max = compressedSize >= 0 ? compressedSize - consumed : Long.MAX_VALUE;
                if (max == 0) {
                    if (seekable && !dummyFed) {
                        // zlib in nowrap mode may want one extra byte to flush the final block
                        dummyFed = true;
                        inflater.setInput(DUMMY, 0, 1);
                        lastRemaining = 0;
                    } else {
                        throw corrupt("has compressed data that ends before the deflate stream does");
                    }
                } else {
                    int c = in.feed(inflater, max);
                    if (c == 0) {
                        throw new EOFException("archive ends inside entry data");
                    }
                    lastRemaining = c;
                }
            }
            int r;
            try {
                r = inflater.inflate(b, off, n);
            } catch (DataFormatException e) {
                throw new ArchiveRejectedException(Reason.CORRUPT, path,
                        "entry '" + path + "' has invalid deflate data: " + e.getMessage(), e);
            }
            if (!dummyFed) {
                int used = (int) (lastRemaining - inflater.getRemaining());
                in.consume(used);
                consumed += used;
                lastRemaining = inflater.getRemaining();
            }
            if (r > 0) {
                return r;
            }
        }
    }

    /** Skips what the reader left and reads a data descriptor if there is one; call once after reading. */
    void finish() throws IOException {
        if (!ended) {
            if (seekable) {
                return;
            }
            if (compressedSize >= 0) {
                in.skip(compressedSize - consumed);
                consumed = compressedSize;
            } else {
                byte[] scratch = new byte[16 * 1024];
                while (true) {
                    int r = produce(scratch, 0, scratch.length);
                    if (r < 0) {
                        break;
                    }
                    crc.update(scratch, 0, r);
                    produced += r;
                    budget.add(r, in.position());
                    if ((++reads & 63) == 0) {
                        cancellation.check();
                    }
                }
                ended = true;
            }
        }
        if (descriptor) {
            if (in.peekU32() == ZipHeader.DESCRIPTOR_SIG) {
                in.u32();
            }
            expectedCrc = in.u32();
            long c = zip64 ? in.u64() : in.u32();
            expectedSize = zip64 ? in.u64() : in.u32();
            if (c != consumed) {
                throw corrupt("has a data descriptor declaring " + c + " compressed bytes, but " + consumed + " were read");
            }
            compressedSize = c;
            if (ended) {
                verified = false;
                verify();
            }
        }
    }

    private void verify() {
        if (verified || expectedSize < 0) {
            return;
        }
        verified = true;
        if (produced != expectedSize) {
            throw corrupt("inflates to " + produced + " bytes but declares " + expectedSize);
        }
        if (crc.getValue() != expectedCrc) {
            throw corrupt("fails its CRC-32 check");
        }
    }

    /** Returns the CRC the headers (or data descriptor) declared. */
    long declaredCrc() {
        return expectedCrc;
    }

    long declaredCompressedSize() {
        return compressedSize;
    }

    long declaredSize() {
        return expectedSize;
    }

    private ArchiveRejectedException corrupt(String what) {
        return new ArchiveRejectedException(Reason.CORRUPT, path, "entry '" + path + "' " + what);
    }
}
