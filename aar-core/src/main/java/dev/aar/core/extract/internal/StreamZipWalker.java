package dev.aar.core.extract.internal;

import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.ArchiveRejectedException.Reason;
import dev.aar.core.extract.Cancellation;
import dev.aar.core.extract.SkipReason;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.Inflater;

/**
 * Walks a ZIP arriving as a plain stream through its local headers, then checks the central
 * directory at the end against what it saw: every central entry must match a local entry (same
 * offset, name, CRC and sizes) and vice versa, so both walkers accept exactly the same archives.
 * Types only the central directory records (symbolic links, devices) are retracted at that point.
 */
public final class StreamZipWalker {

    private static final int BUFFER = 64 * 1024;

    private StreamZipWalker() {
    }

    /** Walks {@code stream} to its end-of-central-directory record; does not close it. */
    public static WalkSummary walk(InputStream stream, ZipLimits limits, Cancellation cancellation,
                                   EntryVisitor visitor) throws IOException {
        Inflater inflater = new Inflater(true);
        try {
            return new Walk(stream, limits, cancellation, visitor, inflater).run();
        } catch (EOFException e) {
            throw new ArchiveRejectedException(Reason.CORRUPT, null, "the archive is truncated: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static final class Walk {
        final ZipInput in;
        final ZipLimits limits;
        final Cancellation cancellation;
        final EntryVisitor visitor;
        final Inflater inflater;
        final InflationBudget budget;
        final Set<Long> seenHashes = new HashSet<>();
        int count;
        long declaredTotal;
        long[] offset = new long[64];
        long[] end = new long[64];
        long[] hash = new long[64];
        long[] crc = new long[64];
        long[] csize = new long[64];
        long[] usize = new long[64];
        boolean[] handled = new boolean[64];
        boolean[] matched = new boolean[64];

        Walk(InputStream stream, ZipLimits limits, Cancellation cancellation, EntryVisitor visitor, Inflater inflater) {
            this.in = new ZipInput(stream, 0, BUFFER);
            this.limits = limits;
            this.cancellation = cancellation;
            this.visitor = visitor;
            this.inflater = inflater;
            this.budget = new InflationBudget(limits, -1);
        }

        WalkSummary run() throws IOException {
            visitor.started(-1);
            while (true) {
                cancellation.check();
                long sig = in.peekU32();
                if (sig == ZipHeader.LOCAL_SIG) {
                    in.u32();
                    local(in.position() - 4);
                } else if (sig == ZipHeader.CENTRAL_SIG || (sig == ZipHeader.EOCD_SIG && count == 0)
                        || (sig == ZipHeader.ZIP64_EOCD_SIG && count == 0)) {
                    centralDirectory();
                    return new WalkSummary(count, in.position(), budget.inflated());
                } else if (sig == -1) {
                    throw new ArchiveRejectedException(Reason.CORRUPT, null, count == 0
                            ? "the input is empty or not a ZIP archive"
                            : "the archive is truncated: it ends before its central directory");
                } else {
                    throw new ArchiveRejectedException(Reason.CORRUPT, null, String.format(
                            "unexpected bytes (signature %08x) at offset %d: not a ZIP archive, or corrupt",
                            sig, in.position()));
                }
            }
        }

        private void local(long at) throws IOException {
            if (count >= limits.maxEntries()) {
                throw new ArchiveRejectedException(Reason.TOO_MANY_ENTRIES, null,
                        "the archive holds more than ScaleLimits.MaxArchiveEntries = " + limits.maxEntries() + " entries");
            }
            ZipHeader h = ZipHeader.readLocal(in);
            EntryPath p = EntryNames.parse(h.rawName(), h.utf8());
            int i = grow();
            offset[i] = at;
            hash[i] = p.hash();
            // only the JDK inflater reports where deflate data ends; commons-compress's Deflate64 and bzip2
            // decoders make no such promise, so those (and stored data) need the sizes of the local header
            if (h.hasDescriptor() && (h.method() != ZipHeader.DEFLATED || h.encrypted())) {
                throw new ArchiveRejectedException(Reason.UNSUPPORTED, p.path(), "entry '" + p.path()
                        + "' has no sizes in its local header and is not plainly deflated, so a stream cannot tell"
                        + " where it ends; extract it from a file instead");
            }
            SkipReason reason = null;
            if (!EntryClassifier.isDirectory(h, p)) {
                // like the file walker: any later entry with a path already seen is a duplicate, whatever else it is
                reason = seenHashes.add(p.hash()) ? EntryClassifier.classify(h, p, limits.rule()) : SkipReason.DUPLICATE;
            }
            ZipEntryContent content = new ZipEntryContent(in, p.path(), h, false, limits.rule().maxFileSizeBytes(),
                    inflater, budget, cancellation);
            if (EntryClassifier.isDirectory(h, p)) {
                content.finish();
            } else if (reason != null) {
                visitor.skipped(p.path(), reason, EntryClassifier.detail(reason, h, p, limits.rule()));
                content.finish(); // skips known-size data unread; drains (and counts) a deflated entry without sizes
            } else {
                handled[i] = true;
                visitor.file(p.path(), h.hasDescriptor() ? -1 : h.uncompressedSize(), content);
                content.finish();
            }
            if (!EntryClassifier.isDirectory(h, p) && content.declaredSize() > 0) {
                // judge declared sizes on the bytes read so far, as the file walker judges them on the whole file
                declaredTotal = Math.min(Long.MAX_VALUE / 2, declaredTotal + content.declaredSize());
                budget.check(declaredTotal, in.position(), true);
            }
            crc[i] = content.declaredCrc();
            csize[i] = content.declaredCompressedSize();
            usize[i] = content.declaredSize();
            end[i] = in.position();
        }

        private int grow() {
            if (count == offset.length) {
                int n = count * 2;
                offset = Arrays.copyOf(offset, n);
                end = Arrays.copyOf(end, n);
                hash = Arrays.copyOf(hash, n);
                crc = Arrays.copyOf(crc, n);
                csize = Arrays.copyOf(csize, n);
                usize = Arrays.copyOf(usize, n);
                handled = Arrays.copyOf(handled, n);
                matched = Arrays.copyOf(matched, n);
            }
            return count++;
        }

        private void centralDirectory() throws IOException {
            long cdStart = in.position();
            int records = 0;
            while (in.peekU32() == ZipHeader.CENTRAL_SIG) {
                if ((records & 1023) == 0) {
                    cancellation.check();
                }
                in.u32();
                ZipHeader c = ZipHeader.readCentral(in);
                EntryPath p = EntryNames.parse(c.rawName(), c.utf8());
                int i = Arrays.binarySearch(offset, 0, count, c.localOffset());
                if (i < 0) {
                    int before = -i - 2;
                    if (before >= 0 && c.localOffset() < end[before]) {
                        throw new ArchiveRejectedException(Reason.OVERLAPPING_ENTRIES, p.path(), "central entry '"
                                + p.path() + "' points inside another entry's data (an overlapping-entry zip bomb)");
                    }
                    throw ZipHeader.corrupt(c.rawName(), "is in the central directory but has no local entry");
                }
                if (matched[i]) {
                    throw new ArchiveRejectedException(Reason.OVERLAPPING_ENTRIES, p.path(),
                            "two central entries share the data of '" + p.path() + "' (an overlapping-entry zip bomb)");
                }
                matched[i] = true;
                if (hash[i] != p.hash() || crc[i] != c.crc() || csize[i] != c.compressedSize()
                        || usize[i] != c.uncompressedSize()) {
                    throw ZipHeader.corrupt(c.rawName(), "differs between its local header and the central directory");
                }
                SkipReason type = EntryClassifier.typeReason(c);
                if (handled[i] && type != null) {
                    visitor.retract(p.path(), type, EntryClassifier.detail(type, c, p, limits.rule()));
                }
                records++;
            }
            if (records != count) {
                throw new ArchiveRejectedException(Reason.CORRUPT, null, "the central directory lists " + records
                        + " entries but the archive holds " + count + " local entries");
            }
            endRecords(records, cdStart);
        }

        private void endRecords(int records, long cdStart) throws IOException {
            long sig = in.u32();
            if (sig == ZipHeader.ZIP64_EOCD_SIG) {
                long size = in.u64();
                if (size < 44) {
                    throw new ArchiveRejectedException(Reason.CORRUPT, null, "the ZIP64 end record is too short");
                }
                in.skip(size);
                if (in.u32() != ZipHeader.ZIP64_LOCATOR_SIG) {
                    throw new ArchiveRejectedException(Reason.CORRUPT, null, "the ZIP64 end locator is missing");
                }
                in.skip(16);
                sig = in.u32();
            }
            if (sig != ZipHeader.EOCD_SIG) {
                throw new ArchiveRejectedException(Reason.CORRUPT, null, "the end-of-central-directory record is missing");
            }
            in.skip(6);
            int total = in.u16();
            if (total != 0xffff && total != (records & 0xffff)) {
                throw new ArchiveRejectedException(Reason.CORRUPT, null, "the end record counts " + total
                        + " entries but the central directory lists " + records);
            }
            in.skip(8);
            in.skip(in.u16());
        }
    }
}
