package dev.aar.core.extract.internal;

import dev.aar.core.error.AarException;
import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.ArchiveRejectedException.Reason;
import dev.aar.core.extract.Cancellation;
import dev.aar.core.extract.SkipReason;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Inflater;

/**
 * Walks a ZIP file through its central directory: validates every entry first (names, counts,
 * declared totals, overlapping data in O(n log n), duplicates), then hands the files to the visitor
 * from several threads, in local-header order so the disk reads stay mostly sequential.
 *
 * <p>Memory is a few primitive arrays per entry; names are re-read from the central directory when
 * needed rather than kept.
 */
public final class SeekableZipWalker {

    private static final int EOCD_MIN = 22;
    private static final int MAX_COMMENT = 0xffff;
    private static final int LOCAL_MIN = 30;
    private static final int DATA_BUFFER = 64 * 1024;
    private static final byte HANDLE = -1;
    private static final byte DIRECTORY = -2;

    private SeekableZipWalker() {
    }

    /** Walks {@code file}; throws {@link ArchiveRejectedException} for a hostile or broken archive. */
    public static WalkSummary walk(Path file, ZipLimits limits, int workers, Cancellation cancellation,
                                   EntryVisitor visitor) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return walk(ch, limits, workers, cancellation, visitor);
        }
    }

    /**
     * Walks the ZIP file in {@code channel} (a file's, or a stored blob's), read with positional reads; a
     * channel other than a {@link FileChannel} is positioned and read under its lock. Does not close it.
     */
    public static WalkSummary walk(SeekableByteChannel channel, ZipLimits limits, int workers, Cancellation cancellation,
                                   EntryVisitor visitor) throws IOException {
        try {
            return new Walk(channel, limits, cancellation, visitor).run(workers);
        } catch (EOFException e) {
            throw new ArchiveRejectedException(Reason.CORRUPT, null, "the archive is truncated: " + e.getMessage(), e);
        }
    }

    private static final class Walk {
        final SeekableByteChannel ch;
        final ZipLimits limits;
        final Cancellation cancellation;
        final EntryVisitor visitor;
        final long size;
        long cdOffset;
        long cdEnd;
        int count;
        long[] cdOff;
        long[] localOff;
        long[] csize;
        long[] hash;
        byte[] decision;
        long[] sortedOffsets;
        InflationBudget budget;

        Walk(SeekableByteChannel ch, ZipLimits limits, Cancellation cancellation, EntryVisitor visitor) throws IOException {
            this.ch = ch;
            this.limits = limits;
            this.cancellation = cancellation;
            this.visitor = visitor;
            this.size = ch.size();
        }

        WalkSummary run(int workers) throws IOException {
            readEnd();
            readCentralDirectory();
            checkOverlaps();
            markDuplicates();
            visitor.started(count);
            reportSkips();
            budget = new InflationBudget(limits, size);
            extract(workers);
            return new WalkSummary(count, size, budget.inflated());
        }

        private void readEnd() throws IOException {
            if (size < EOCD_MIN) {
                throw new ArchiveRejectedException(Reason.CORRUPT, null,
                        "the archive is " + size + " bytes, too short to be a ZIP file");
            }
            int tailLen = (int) Math.min(size, EOCD_MIN + MAX_COMMENT);
            ByteBuffer tail = ByteBuffer.allocate(tailLen).order(ByteOrder.LITTLE_ENDIAN);
            readFully(tail, size - tailLen);
            int found = -1;
            int fallback = -1;
            for (int i = tailLen - EOCD_MIN; i >= 0; i--) {
                if (tail.getInt(i) == (int) ZipHeader.EOCD_SIG) {
                    if (fallback < 0) {
                        fallback = i;
                    }
                    if ((tail.getShort(i + 20) & 0xffff) == tailLen - i - EOCD_MIN) {
                        found = i;
                        break;
                    }
                }
            }
            if (found < 0) {
                found = fallback;
            }
            if (found < 0) {
                throw new ArchiveRejectedException(Reason.CORRUPT, null,
                        "no end-of-central-directory record: not a ZIP file, or truncated");
            }
            long eocdPos = size - tailLen + found;
            int disk = tail.getShort(found + 4) & 0xffff;
            int cdDisk = tail.getShort(found + 6) & 0xffff;
            long entries = tail.getShort(found + 10) & 0xffff;
            long cdSize = tail.getInt(found + 12) & 0xffffffffL;
            cdOffset = tail.getInt(found + 16) & 0xffffffffL;
            long cdLimit = eocdPos;
            if (entries == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL || disk == 0xffff) {
                long locPos = eocdPos - 20;
                ByteBuffer loc = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
                if (locPos < 0) {
                    throw new ArchiveRejectedException(Reason.CORRUPT, null, "the ZIP64 end locator is missing");
                }
                readFully(loc, locPos);
                if ((loc.getInt(0) & 0xffffffffL) != ZipHeader.ZIP64_LOCATOR_SIG) {
                    throw new ArchiveRejectedException(Reason.CORRUPT, null, "the ZIP64 end locator is missing");
                }
                long z64Pos = loc.getLong(8);
                if (z64Pos < 0 || z64Pos + 56 > locPos) {
                    throw new ArchiveRejectedException(Reason.CORRUPT, null, "the ZIP64 end record lies outside the archive");
                }
                ByteBuffer z = ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN);
                readFully(z, z64Pos);
                if ((z.getInt(0) & 0xffffffffL) != ZipHeader.ZIP64_EOCD_SIG) {
                    throw new ArchiveRejectedException(Reason.CORRUPT, null, "the ZIP64 end record is missing");
                }
                disk = z.getInt(16);
                cdDisk = z.getInt(20);
                entries = z.getLong(32);
                cdSize = z.getLong(40);
                cdOffset = z.getLong(48);
                cdLimit = z64Pos;
            }
            if (disk != 0 || cdDisk != 0) {
                throw new ArchiveRejectedException(Reason.UNSUPPORTED, null, "multi-disk (spanned) archives are not supported");
            }
            if (entries < 0 || entries > limits.maxEntries()) {
                throw new ArchiveRejectedException(Reason.TOO_MANY_ENTRIES, null, "the archive holds " + entries
                        + " entries, more than ScaleLimits.MaxArchiveEntries = " + limits.maxEntries());
            }
            if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > cdLimit || cdSize < entries * 46) {
                throw new ArchiveRejectedException(Reason.CORRUPT, null,
                        "the central directory (offset " + cdOffset + ", " + cdSize + " bytes, " + entries
                                + " entries) does not fit the archive; it is truncated or corrupt");
            }
            cdEnd = cdOffset + cdSize;
            count = (int) entries;
        }

        private void readCentralDirectory() throws IOException {
            cdOff = new long[count];
            localOff = new long[count];
            csize = new long[count];
            hash = new long[count];
            decision = new byte[count];
            long declaredTotal = 0;
            ZipInput in = new ZipInput(new ChannelRegion(ch, cdOffset, cdEnd), cdOffset, 64 * 1024);
            for (int i = 0; i < count; i++) {
                if ((i & 1023) == 0) {
                    cancellation.check();
                }
                cdOff[i] = in.position();
                if (in.u32() != ZipHeader.CENTRAL_SIG) {
                    throw new ArchiveRejectedException(Reason.CORRUPT, null,
                            "central directory record " + i + " has a bad signature");
                }
                ZipHeader h = ZipHeader.readCentral(in);
                EntryPath p = EntryNames.parse(h.rawName(), h.utf8());
                if (h.localOffset() < 0 || h.localOffset() + LOCAL_MIN > cdOffset || h.compressedSize() < 0
                        || h.uncompressedSize() < 0) {
                    throw ZipHeader.corrupt(h.rawName(), "points outside the archive's entry data");
                }
                localOff[i] = h.localOffset();
                csize[i] = h.compressedSize();
                hash[i] = p.hash();
                if (EntryClassifier.isDirectory(h, p)) {
                    decision[i] = DIRECTORY;
                } else {
                    SkipReason r = EntryClassifier.classify(h, p, limits.rule());
                    decision[i] = r == null ? HANDLE : (byte) r.ordinal();
                    if (r != SkipReason.EXCLUDED_DIRECTORY) {
                        // an excluded node_modules costs only its listing; every other entry's declared size
                        // counts, so a bomb refused up front stays refused even when its entry would be skipped
                        declaredTotal += h.uncompressedSize();
                        if (declaredTotal < 0) {
                            declaredTotal = Long.MAX_VALUE;
                        }
                    }
                }
            }
            new InflationBudget(limits, size).check(declaredTotal, size, true);
        }

        /** Sorts local offsets once; each entry must end before the next one starts (the better zip bomb shares data). */
        private void checkOverlaps() {
            sortedOffsets = Arrays.copyOf(localOff, count);
            Arrays.sort(sortedOffsets);
            for (int i = 1; i < count; i++) {
                if (sortedOffsets[i] == sortedOffsets[i - 1]) {
                    throw overlap(sortedOffsets[i]);
                }
            }
            for (int i = 0; i < count; i++) {
                // a lower bound (the local name may differ; workers check the exact extent and the name)
                long minEnd = localOff[i] + LOCAL_MIN + csize[i];
                if (minEnd < 0 || minEnd > next(localOff[i])) {
                    throw overlap(localOff[i]);
                }
            }
        }

        private ArchiveRejectedException overlap(long offset) {
            return new ArchiveRejectedException(Reason.OVERLAPPING_ENTRIES, null, "entries share data at offset "
                    + offset + " (an overlapping-entry zip bomb, or a corrupt central directory)");
        }

        /** Returns where the entry data starting at {@code offset} must end: the next local header or the central directory. */
        private long next(long offset) {
            int i = Arrays.binarySearch(sortedOffsets, offset);
            return i + 1 < count ? sortedOffsets[i + 1] : cdOffset;
        }

        private void markDuplicates() {
            long[] sorted = Arrays.copyOf(hash, count);
            Arrays.sort(sorted);
            Set<Long> duplicated = new HashSet<>();
            for (int i = 1; i < count; i++) {
                if (sorted[i] == sorted[i - 1]) {
                    duplicated.add(sorted[i]);
                }
            }
            if (duplicated.isEmpty()) {
                return;
            }
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < count; i++) {
                if (decision[i] != DIRECTORY && duplicated.contains(hash[i]) && !seen.add(hash[i])) {
                    decision[i] = (byte) SkipReason.DUPLICATE.ordinal();
                }
            }
        }

        private void reportSkips() throws IOException {
            for (int i = 0; i < count; i++) {
                if (decision[i] >= 0) {
                    ZipHeader h = central(i);
                    SkipReason r = SkipReason.values()[decision[i]];
                    EntryPath p = EntryNames.parse(h.rawName(), h.utf8());
                    visitor.skipped(p.path(), r, EntryClassifier.detail(r, h, p, limits.rule()));
                }
            }
        }

        private ZipHeader central(int i) throws IOException {
            ZipInput in = new ZipInput(new ChannelRegion(ch, cdOff[i], cdEnd), cdOff[i], 2048);
            in.u32();
            return ZipHeader.readCentral(in);
        }

        private void extract(int workers) throws IOException {
            List<Integer> work = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (decision[i] == HANDLE) {
                    work.add(i);
                }
            }
            int[] order = work.stream().sorted((a, b) -> Long.compare(localOff[a], localOff[b]))
                    .mapToInt(Integer::intValue).toArray();
            AtomicInteger cursor = new AtomicInteger();
            AtomicBoolean abort = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Runnable worker = () -> {
                Inflater inflater = new Inflater(true);
                byte[] buffer = new byte[DATA_BUFFER];
                try {
                    for (int k = cursor.getAndIncrement(); k < order.length && !abort.get(); k = cursor.getAndIncrement()) {
                        cancellation.check();
                        one(order[k], inflater, buffer);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    abort.set(true);
                } finally {
                    inflater.end();
                }
            };
            int n = Math.max(1, Math.min(workers, order.length));
            List<Thread> threads = new ArrayList<>();
            for (int t = 1; t < n; t++) {
                Thread thread = new Thread(worker, "aar-unzip-" + t);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
            worker.run();
            boolean interrupted = false;
            for (Thread t : threads) {
                while (true) {
                    try {
                        t.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                        abort.set(true);
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable t = failure.get();
            if (t != null) {
                rethrow(t);
            }
        }

        private void one(int i, Inflater inflater, byte[] buffer) throws IOException {
            ZipHeader c = central(i);
            String path = EntryNames.parse(c.rawName(), c.utf8()).path();
            long end = next(localOff[i]);
            ZipInput in = new ZipInput(new ChannelRegion(ch, localOff[i], end), localOff[i], buffer);
            if (in.u32() != ZipHeader.LOCAL_SIG) {
                throw ZipHeader.corrupt(c.rawName(), "has no local header where the central directory points");
            }
            ZipHeader local = ZipHeader.readLocal(in);
            if (!Arrays.equals(local.rawName(), c.rawName())) {
                throw ZipHeader.corrupt(c.rawName(), "has a local header whose name differs from the central directory's");
            }
            if (in.position() + c.compressedSize() > end) {
                throw overlap(localOff[i]);
            }
            ZipEntryContent content = new ZipEntryContent(in, path, c, true, limits.rule().maxFileSizeBytes(), inflater,
                    budget, cancellation);
            visitor.file(path, c.uncompressedSize(), content);
        }

        private void readFully(ByteBuffer buf, long pos) throws IOException {
            while (buf.hasRemaining()) {
                int r = ChannelRegion.read(ch, buf, pos + buf.position());
                if (r < 0) {
                    throw new EOFException("archive ends early");
                }
            }
            buf.flip();
        }
    }

    static void rethrow(Throwable t) throws IOException {
        if (t instanceof EOFException e) {
            throw new ArchiveRejectedException(Reason.CORRUPT, null, "the archive is truncated: " + e.getMessage(), e);
        }
        if (t instanceof AarException e) {
            throw e;
        }
        if (t instanceof IOException e) {
            throw e;
        }
        if (t instanceof UncheckedIOException e) {
            throw e.getCause();
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
