package dev.aar.core.extract.internal;

import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.ArchiveRejectedException.Reason;
import dev.aar.core.extract.Cancellation;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.deflate64.Deflate64CompressorInputStream;

/**
 * The inflated bytes of one entry, capped: after {@code cap + 1} bytes it reports end of data and
 * {@link #exceededCap()} turns true, whatever size the headers declared. Reading to the natural end
 * verifies the CRC and sizes; a mismatch refuses the archive as {@code CORRUPT}. Not thread-safe.
 *
 * <p>Stored and deflated data are read here (deflate through a reused JDK {@link Inflater}, fed
 * straight from the read buffer); Deflate64 and bzip2 through commons-compress's decoders, which read
 * exactly the entry's compressed bytes and no more. The cap, the inflation budget, the CRC and size
 * checks and cancellation are the same for every method.
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
    private final Compressed compressed = new Compressed();
    private final CRC32 crc = new CRC32();
    private InputStream decoder;
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
        return switch (method) {
            case ZipHeader.STORED -> compressed.read(b, off, n);
            case ZipHeader.DEFLATED -> inflate(b, off, n);
            default -> decode(b, off, n);
        };
    }

    private int inflate(byte[] b, int off, int n) throws IOException {
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

    /** Decodes Deflate64 or bzip2 with commons-compress from exactly the entry's compressed bytes. */
    private int decode(byte[] b, int off, int n) throws IOException {
        try {
            if (decoder == null) {
                // bzip2 reads its stream header here; a bad one is corrupt data like any other
                decoder = method == ZipHeader.DEFLATE64 ? new Deflate64CompressorInputStream(compressed)
                        : new BZip2CompressorInputStream(compressed);
            }
            int r;
            do {
                // Deflate64 returns 0 after a block that produced nothing; each such block consumed input
                r = decoder.read(b, off, n);
            } while (r == 0);
            return r;
        } catch (IOException | RuntimeException e) {
            if (compressed.failure != null) {
                throw compressed.failure; // the archive itself failed or ended: not a decoding problem
            }
            // the decoders' messages describe the data ("BZip2 CRC error"); runtime failures are not shown
            String why = e instanceof IOException && e.getMessage() != null ? ": " + e.getMessage() : "";
            throw corrupt("has invalid " + (method == ZipHeader.DEFLATE64 ? "Deflate64" : "bzip2") + " data" + why);
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

    /**
     * The entry's compressed bytes, never past its compressed size (known for every method but
     * deflate on a stream with a data descriptor, which does not use this). Failures of the archive
     * itself are kept so a decoder's wrapping of them is not mistaken for bad data.
     */
    private final class Compressed extends InputStream {

        IOException failure;

        @Override
        public int read() throws IOException {
            if (compressedSize - consumed <= 0) {
                return -1;
            }
            int v;
            try {
                v = in.read();
            } catch (IOException e) {
                throw failed(e);
            }
            if (v < 0) {
                throw failed(new EOFException("archive ends inside entry data"));
            }
            consumed++;
            return v;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long left = compressedSize - consumed;
            if (left <= 0) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int r;
            try {
                r = in.read(b, off, (int) Math.min(len, left));
            } catch (IOException e) {
                throw failed(e);
            }
            if (r == 0) {
                throw failed(new EOFException("archive ends inside entry data"));
            }
            consumed += r;
            return r;
        }

        private IOException failed(IOException e) {
            failure = e;
            return e;
        }

        @Override
        public void close() {
            // the archive stays open for the next entry
        }
    }

    private ArchiveRejectedException corrupt(String what) {
        return new ArchiveRejectedException(Reason.CORRUPT, path, "entry '" + path + "' " + what);
    }
}
