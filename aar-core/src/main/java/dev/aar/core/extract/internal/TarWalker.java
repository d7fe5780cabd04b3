package dev.aar.core.extract.internal;

import dev.aar.core.error.AarException;
import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.ArchiveRejectedException.Reason;
import dev.aar.core.extract.Cancellation;
import dev.aar.core.extract.SkipReason;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.MemoryLimitException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Walks a tar archive, plain or compressed, with commons-compress's {@link TarArchiveInputStream}, under
 * the rules of the ZIP walkers: the same name rules, skips, duplicate rule and entry cap. Hard and
 * symbolic links are skipped as {@code SYMLINK}, devices, FIFOs and sparse files as {@code SPECIAL_FILE}.
 *
 * <p>Tar has no per-entry compressed size, so the inflation budget watches the whole decompressed
 * stream (headers, skipped entries and all) against the compressed bytes read so far: the
 * compression-ratio rule applies to the archive as a whole, from its first byte, with the same grace
 * as for ZIP ({@code ExtractionOptions.ratioGraceBytes}), and {@code MaxTotalUncompressedBytes} caps
 * every decompressed byte. Headers are bounded too: the bytes read to find one entry (PAX records,
 * GNU long names, padding) and the PAX records it carries are each capped at {@value #MAX_HEADER_BYTES}.
 *
 * <p>gzip is read with the JDK's {@link GZIPInputStream} (concatenated members included), not
 * commons-compress's: that one keeps a member's FNAME and FCOMMENT fields in memory whatever their
 * length (1.28.0, {@code readToNull}), so a hostile header as large as the upload would sit in the heap;
 * the JDK's reader skips them. xz decoding is capped at {@value #XZ_MEMORY_LIMIT_KIB} KiB of dictionary.
 */
public final class TarWalker {

    /** Most header bytes one entry may take (its header blocks, PAX records, GNU long name), and most PAX record bytes. */
    static final int MAX_HEADER_BYTES = 1024 * 1024;
    /** Most memory the xz decoder may need (xz -9 needs 65 MiB; the default preset -6 needs 9 MiB). */
    static final int XZ_MEMORY_LIMIT_KIB = 72 * 1024;
    private static final int BUFFER = 64 * 1024;
    private static final int READ_AHEAD_CHUNKS = 8;

    private TarWalker() {
    }

    /** Walks the tar of {@code format} arriving on {@code raw} to its end; does not close it. */
    public static WalkSummary walk(InputStream raw, ArchiveFormat format, ZipLimits limits, Cancellation cancellation,
                                   EntryVisitor visitor) throws IOException {
        Source source = new Source(raw);
        Decompressed data = new Decompressed(new InflationBudget(limits, -1), source);
        try {
            data.open(format);
        } catch (IOException | RuntimeException e) {
            throw refusal(e, source);
        }
        try {
            TarArchiveInputStream tar = new TarArchiveInputStream(data, StandardCharsets.UTF_8.name());
            return new Walk(tar, data, source, limits, cancellation, visitor).run();
        } finally {
            data.close();
        }
    }

    /**
     * Turns what commons-compress or a decompressor threw on the archive's bytes into a refusal; a failure
     * of the source itself (the disk, the network) is passed on as it is.
     */
    static RuntimeException refusal(Exception e, Source source) throws IOException {
        if (e instanceof AarException a) {
            return a;
        }
        if (source.failure != null) {
            throw source.failure;
        }
        if (e instanceof MemoryLimitException) {
            return new ArchiveRejectedException(Reason.UNSUPPORTED, null, "the xz stream needs more memory to decode"
                    + " than the " + XZ_MEMORY_LIMIT_KIB + " KiB allowed: " + e.getMessage(), e);
        }
        // commons-compress reports malformed input as IOException; an unchecked one from a hostile header
        // (a number that does not parse, an index out of range) is the same thing and must not become a crash
        return new ArchiveRejectedException(Reason.CORRUPT, null,
                "the tar archive is corrupt or truncated: " + e.getMessage(), e);
    }

    private static final class Walk {
        final TarArchiveInputStream tar;
        final Decompressed data;
        final Source source;
        final ZipLimits limits;
        final Cancellation cancellation;
        final EntryVisitor visitor;
        final Set<Long> seen = new HashSet<>();
        final byte[] scratch = new byte[BUFFER];
        long count;
        long declaredTotal;

        Walk(TarArchiveInputStream tar, Decompressed data, Source source, ZipLimits limits, Cancellation cancellation,
             EntryVisitor visitor) {
            this.tar = tar;
            this.data = data;
            this.source = source;
            this.limits = limits;
            this.cancellation = cancellation;
            this.visitor = visitor;
        }

        WalkSummary run() throws IOException {
            visitor.started(-1);
            for (TarArchiveEntry e = next(); e != null; e = next()) {
                cancellation.check();
                if (++count > limits.maxEntries()) {
                    throw new ArchiveRejectedException(Reason.TOO_MANY_ENTRIES, null, "the archive holds more than"
                            + " ScaleLimits.MaxArchiveEntries = " + limits.maxEntries() + " entries");
                }
                checkPaxRecords(e);
                EntryPath p = EntryNames.parse(e.getName().getBytes(StandardCharsets.UTF_8), true);
                if (!p.directory() && !e.isDirectory()) {
                    entry(e, p);
                }
                drain();
            }
            return new WalkSummary(count, source.count, data.budget.inflated());
        }

        private void entry(TarArchiveEntry e, EntryPath p) throws IOException {
            SkipReason reason = seen.add(p.hash()) ? classify(e, p) : SkipReason.DUPLICATE;
            if (regular(e) && !limits.rule().isExcluded(p.path())) {
                // declared sizes refuse a too-large archive early; the decompressed bytes are counted anyway
                declaredTotal = Math.min(Long.MAX_VALUE / 2, declaredTotal + Math.max(0, e.getSize()));
                data.budget.checkTotal(declaredTotal, true);
            }
            if (reason != null) {
                visitor.skipped(p.path(), reason, detail(reason, e, p));
            } else {
                visitor.file(p.path(), e.getSize(), new Content(this, limits.rule().maxFileSizeBytes()));
            }
        }

        private SkipReason classify(TarArchiveEntry e, EntryPath p) {
            if (limits.rule().isExcluded(p.path())) {
                return SkipReason.EXCLUDED_DIRECTORY;
            }
            if (StorableNames.refusal(p.path()) != null) {
                return SkipReason.UNSUPPORTED_NAME;
            }
            if (e.isSymbolicLink() || e.isLink()) {
                return SkipReason.SYMLINK;
            }
            if (!regular(e)) {
                return SkipReason.SPECIAL_FILE;
            }
            if (limits.rule().isTooLarge(e.getSize())) {
                return SkipReason.TOO_LARGE;
            }
            return null;
        }

        private String detail(SkipReason reason, TarArchiveEntry e, EntryPath p) {
            if (reason == SkipReason.SYMLINK && e.isLink()) {
                return "a hard link; links are never materialised";
            }
            if (reason == SkipReason.SPECIAL_FILE) {
                return e.isSparse() ? "a sparse file; not supported"
                        : "a special file (tar type '" + (char) e.getLinkFlag() + "'); never materialised";
            }
            return EntryClassifier.detail(reason, p, e.getSize(), limits.rule());
        }

        /** A regular file: type '0', NUL (old tar) or '7' (contiguous), and not sparse. */
        private static boolean regular(TarArchiveEntry e) {
            byte flag = e.getLinkFlag();
            return (flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG)
                    && !e.isSparse();
        }

        /** PAX records that commons-compress keeps (unknown keys, and global ones merged into every entry) are capped. */
        private void checkPaxRecords(TarArchiveEntry e) {
            long size = 0;
            for (Map.Entry<String, String> r : e.getExtraPaxHeaders().entrySet()) {
                size += r.getKey().length() + (long) r.getValue().length();
            }
            if (size > MAX_HEADER_BYTES) {
                throw tooMuchHeader();
            }
        }

        private TarArchiveEntry next() throws IOException {
            data.headerBytes = 0;
            data.inHeaders = true;
            try {
                return tar.getNextEntry();
            } catch (IOException | RuntimeException e) {
                throw refusal(e, source);
            } finally {
                data.inHeaders = false;
            }
        }

        /** Reads what the visitor left of the entry: every decompressed byte goes through the budget. */
        private void drain() throws IOException {
            int reads = 0;
            while (read(scratch, 0, scratch.length) >= 0) {
                if ((++reads & 63) == 0) {
                    cancellation.check();
                }
            }
        }

        int read(byte[] b, int off, int len) throws IOException {
            try {
                return tar.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw refusal(e, source);
            }
        }
    }

    static ArchiveRejectedException tooMuchHeader() {
        return new ArchiveRejectedException(Reason.BAD_ENTRY_NAME, null, "an entry's tar headers (PAX records, GNU long"
                + " names) take more than " + MAX_HEADER_BYTES + " bytes; entry names are at most "
                + EntryNames.MAX_NAME_BYTES + " bytes");
    }

    /** The entry's bytes from the tar stream, capped like a ZIP entry's. */
    private static final class Content extends EntryContent {
        private final Walk walk;

        Content(Walk walk, long cap) {
            super(cap, walk.cancellation);
            this.walk = walk;
        }

        @Override
        int produce(byte[] b, int off, int n) throws IOException {
            return walk.read(b, off, n);
        }
    }

    /** The archive's own bytes: counted (the compressed size so far), and a failure to read them remembered. */
    /** A stream whose one-byte read goes through its block read, the only one the layers here implement. */
    abstract static class BlockStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    static final class Source extends BlockStream {
        private final InputStream in;
        // written by the decompressing thread, read by the walk for the ratio rule
        volatile long count;
        volatile IOException failure;

        Source(InputStream in) {
            this.in = new BufferedInputStream(in, BUFFER);
        }

        /** What can be read without blocking: the JDK's gzip reader looks for a next member with it. */
        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int r = in.read(b, off, len);
                if (r > 0) {
                    count += r;
                }
                return r;
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        /** Skipping reads, so that the count stays the position in the archive. */
        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) {
                return 0;
            }
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            return Math.max(read(buf, 0, buf.length), 0);
        }
    }

    /**
     * Decompression on a thread of its own, at most {@value #READ_AHEAD_CHUNKS} chunks of 64 KiB ahead of
     * the tar reader, the way GNU tar runs gzip beside it: inflating is about a third of the work of
     * extracting a tar.gz (JFR samples on the JDK sources: inflate 90, write 49, open 33 of ~290).
     */
    static final class ReadAhead extends BlockStream {
        private static final Object END = new Object();
        private final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(READ_AHEAD_CHUNKS);
        private final Thread thread;
        private volatile boolean closed;
        private byte[] current = new byte[0];
        private int pos;
        private boolean ended;

        ReadAhead(InputStream in) {
            thread = new Thread(() -> pump(in), "aar-untar-inflate");
            thread.setDaemon(true);
            thread.start();
        }

        private void pump(InputStream in) {
            Object last = END;
            try {
                while (!closed) {
                    byte[] chunk = new byte[BUFFER];
                    int n = in.readNBytes(chunk, 0, chunk.length);
                    if (n > 0) {
                        put(n < chunk.length ? Arrays.copyOf(chunk, n) : chunk);
                    }
                    if (n < chunk.length) {
                        break;
                    }
                }
            } catch (Throwable t) {
                last = t; // handed to the reader, which rethrows it on its own thread
            }
            put(last);
        }

        private void put(Object o) {
            try {
                while (!closed && !chunks.offer(o, 50, TimeUnit.MILLISECONDS)) {
                    // the reader is busy writing files, or gone: look at closed again
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (pos == current.length) {
                if (ended) {
                    return -1;
                }
                Object next;
                try {
                    next = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for decompressed data");
                }
                if (next == END) {
                    ended = true;
                } else if (next instanceof IOException e) {
                    throw e;
                } else if (next instanceof RuntimeException e) {
                    throw e;
                } else if (next instanceof Error e) {
                    throw e;
                } else {
                    current = (byte[]) next;
                    pos = 0;
                }
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        /** Stops the thread: it drops what it decompressed and ends at its next chunk. */
        @Override
        public void close() {
            closed = true;
            chunks.clear();
        }
    }

    /** The decompressed tar stream: every byte passes the inflation budget, and header bytes are capped. */
    static final class Decompressed extends BlockStream {
        final InflationBudget budget;
        final Source source;
        InputStream in;
        boolean inHeaders;
        long headerBytes;

        Decompressed(InflationBudget budget, Source source) {
            this.budget = budget;
            this.source = source;
        }

        void open(ArchiveFormat format) throws IOException {
            in = switch (format) {
                case TAR -> source;
                case TAR_GZ -> new ReadAhead(new GZIPInputStream(source, BUFFER));
                case TAR_XZ -> new ReadAhead(XZCompressorInputStream.builder().setInputStream(source)
                        .setDecompressConcatenated(true).setMemoryLimitKiB(XZ_MEMORY_LIMIT_KIB).get());
                case ZIP -> throw new IllegalArgumentException("a ZIP file is not read as a tar");
            };
        }

        /** Stops the decompressing thread, if any; the source is the caller's to close. */
        @Override
        public void close() {
            if (in instanceof ReadAhead r) {
                r.close();
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = in.read(b, off, len);
            if (r > 0) {
                budget.add(r, source.count);
                if (inHeaders && (headerBytes += r) > MAX_HEADER_BYTES) {
                    throw tooMuchHeader();
                }
            }
            return r;
        }

        /** Skipping reads: the skipped bytes are decompressed all the same and must pass the budget. */
        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(Math.max(n, 1), BUFFER)];
            int r = read(buf, 0, (int) Math.min(n, buf.length));
            return Math.max(r, 0);
        }
    }
}
