package dev.aar.core.preflight;

import com.knuddels.jtokkit.api.Encoding;
import dev.aar.core.extract.IndexableFileRule;
import dev.aar.core.extract.SkipReason;
import dev.aar.core.extract.internal.EntryContent;
import dev.aar.core.extract.internal.EntryNames;
import dev.aar.core.extract.internal.EntryVisitor;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** Counts indexable files, their bytes and tokens without writing anything; used concurrently by the walkers. */
final class CountingVisitor implements EntryVisitor {

    private static final int DRAIN = 64 * 1024;

    private final int sampleOneIn;
    private final ThreadLocal<byte[]> heads = ThreadLocal.withInitial(() -> new byte[IndexableFileRule.SNIFF_BYTES]);
    private final ThreadLocal<StreamTokenCounter> counters;
    private final ThreadLocal<PreTokenScanner> scanners = ThreadLocal.withInitial(PreTokenScanner::new);
    private final ThreadLocal<byte[]> drains = ThreadLocal.withInitial(() -> new byte[DRAIN]);
    private final LongAdder files = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final TokenEstimate tokens = new TokenEstimate();
    // streaming only: what each file added, so a file the central directory shows to be a link can be taken back
    private final Map<Long, long[]> contributions;
    // streaming only, so touched by one thread
    private long streamedExactBytes;

    /**
     * @param sampleOneIn tokenize about one file in this many (chosen by a hash of the path); 1 = all (EXACT mode)
     * @param streaming whether entries may later be retracted
     */
    CountingVisitor(Supplier<Encoding> encoding, int sampleOneIn, boolean streaming) {
        this.sampleOneIn = sampleOneIn;
        this.counters = ThreadLocal.withInitial(() -> new StreamTokenCounter(encoding.get()));
        this.contributions = streaming ? new ConcurrentHashMap<>() : null;
    }

    @Override
    public void file(String path, long declaredSize, EntryContent content) throws IOException {
        byte[] head = heads.get();
        int n = content.readNBytes(head, 0, head.length);
        if (content.exceededCap() || IndexableFileRule.isBinary(head, n)) {
            return;
        }
        // a stream's size is unknown up front, so its first bytes are counted exactly (like a small file archive)
        boolean sampled = sampled(path)
                || (contributions != null && streamedExactBytes < PreflightService.DEFAULT_EXACT_BELOW_BYTES);
        PreTokenScanner scanner = scanners.get();
        scanner.reset();
        scanner.scan(head, 0, n);
        long size;
        if (sampled) {
            long t = counters.get().count(head, n, new ScanningStream(content, scanner));
            if (content.exceededCap()) {
                return;
            }
            size = content.bytesRead();
            tokens.sampled(path, scanner.count(), t);
            record(path, scanner.count(), t, true, size);
        } else {
            byte[] buf = drains.get();
            for (int r = content.read(buf, 0, buf.length); r >= 0; r = content.read(buf, 0, buf.length)) {
                scanner.scan(buf, 0, r);
            }
            if (content.exceededCap()) {
                return;
            }
            size = content.bytesRead();
            tokens.unsampled(path, scanner.count());
            record(path, scanner.count(), 0, false, size);
        }
        bytes.add(size);
        files.increment();
    }

    /** Streaming only: keeps what the file added, so that {@link #retract} can take it back. */
    private void record(String path, long pre, long t, boolean sampled, long size) {
        if (contributions != null) {
            contributions.put(key(path), new long[] {pre, t, sampled ? 1 : 0, size});
            if (sampled) {
                streamedExactBytes += size; // one thread walks a stream
            }
        }
    }

    boolean sampled(String path) {
        if (sampleOneIn <= 1) {
            return true;
        }
        long h = path.hashCode() * 0x9E3779B97F4A7C15L;
        return Long.remainderUnsigned(h >>> 17, sampleOneIn) == 0;
    }

    @Override
    public void skipped(String path, SkipReason reason, String detail) {
        // skipped entries are not indexable; nothing to count
    }

    @Override
    public void retract(String path, SkipReason reason, String detail) {
        long[] c = contributions == null ? null : contributions.remove(key(path));
        if (c != null) {
            files.decrement();
            bytes.add(-c[3]);
            if (c[2] == 1) {
                tokens.sampled(path, -c[0], -c[1]);
            } else {
                tokens.unsampled(path, -c[0]);
            }
        }
    }

    long files() {
        return files.sum();
    }

    long bytes() {
        return bytes.sum();
    }

    long tokens() {
        return tokens.total();
    }

    /** Feeds every byte read through the scanner on its way to the token counter. */
    private static final class ScanningStream extends java.io.InputStream {
        private final EntryContent in;
        private final PreTokenScanner scanner;

        ScanningStream(EntryContent in, PreTokenScanner scanner) {
            this.in = in;
            this.scanner = scanner;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = in.read(b, off, len);
            if (r > 0) {
                scanner.scan(b, off, r);
            }
            return r;
        }
    }

    /** A 64-bit key for a path (the walkers' own hash), so retractable contributions do not keep names in memory. */
    private static long key(String path) {
        return EntryNames.hash(path);
    }
}
