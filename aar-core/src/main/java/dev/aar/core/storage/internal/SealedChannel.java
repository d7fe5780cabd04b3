package dev.aar.core.storage.internal;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import dev.aar.core.error.BlobIntegrityException;
import dev.aar.core.error.BlobIntegrityException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The plaintext of a sealed blob whose streams are encrypted and not deflated, as a read-only
 * {@link SeekableByteChannel}: each stream's records are mapped back to one Tink ciphertext, read by
 * ranges, and decrypted by Tink's seekable decrypting channel, which verifies each segment it returns.
 * A read touches only the segments it needs. A multipart blob is its manifest and its parts; the parts
 * are checked against the manifest (order, upload, number) before any byte is returned.
 *
 * <p>{@link #open} returns null for anything it does not map with certainty (compressed or unencrypted
 * streams, records that are not full segments, a size that does not add up): the caller then reads the
 * blob as a stream, which reports the precise {@link BlobIntegrityException}. The channel is safe for
 * one reader at a time; its methods are synchronized so that positional readers may share it.
 */
public final class SealedChannel extends ReadOnlyChannel {

    /** How many header bytes are fetched at once; upload ids are short, a longer header is not mapped. */
    private static final int HEADER_READ = SealedFormat.FIXED_HEADER_LENGTH + 512;

    private final String blobKey;
    private final List<SeekableByteChannel> streams;
    private final long[] starts;
    private final long[] firstPlain;
    private final long[] plainSegment;
    private final RecentBlocks recent = new RecentBlocks();

    private SealedChannel(String blobKey, List<SeekableByteChannel> streams, long[] starts, long[] firstPlain,
                          long[] plainSegment) {
        super(starts[streams.size()]);
        this.blobKey = blobKey;
        this.streams = streams;
        this.starts = starts;
        this.firstPlain = firstPlain;
        this.plainSegment = plainSegment;
    }

    /**
     * Maps the sealed blob in {@code source} (stored under {@code blobKey}) for seeking, or returns null when it
     * cannot be mapped (see the class comment).
     */
    public static @Nullable SealedChannel open(RangeSource source, String blobKey, SealingKey key) throws IOException {
        byte[] keyBytes = blobKey.getBytes(StandardCharsets.UTF_8);
        long total = source.size();
        Located first = locate(source, 0, total, total, key);
        if (first == null) {
            return null;
        }
        List<Located> parts = new ArrayList<>();
        if (first.header.type() == SealedFormat.TYPE_SINGLE) {
            if (first.end != total) {
                return null;
            }
        } else if (first.header.type() == SealedFormat.TYPE_MANIFEST) {
            int[] manifest = readManifest(first, source, keyBytes, key);
            if (manifest == null) {
                return null;
            }
            long at = first.end;
            long previous = -1;
            for (int i = 0; i < manifest.length; i++) {
                // parts of one upload are cut alike, so each part usually ends where the previous one's length says
                long end = i == manifest.length - 1 ? total : previous < 0 ? -1 : at + previous;
                Located part = locate(source, at, total, end, key);
                if (part == null || part.header.type() != SealedFormat.TYPE_PART
                        || part.header.partNumber() != manifest[i]
                        || !part.header.uploadId().equals(first.header.uploadId())) {
                    return null; // reordered, foreign or missing: the stream path names which
                }
                parts.add(part);
                previous = part.end - part.start;
                at = part.end;
            }
            if (at != total) {
                return null;
            }
        } else {
            return null;
        }
        if (first.header.type() == SealedFormat.TYPE_SINGLE) {
            parts.add(first);
        }
        List<SeekableByteChannel> streams = new ArrayList<>(parts.size());
        long[] starts = new long[parts.size() + 1];
        long[] firstPlain = new long[parts.size()];
        long[] plainSegment = new long[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            long plainSize = plaintextLength(parts.get(i), key);
            if (plainSize < 0) {
                return null;
            }
            AesGcmHkdfStreaming tink = key.segments(parts.get(i).header.segmentSize());
            plainSegment[i] = tink.getPlaintextSegmentSize();
            firstPlain[i] = plainSegment[i] - tink.getCiphertextOffset();
            streams.add(decrypting(parts.get(i), source, keyBytes, key, blobKey));
            starts[i + 1] = starts[i] + plainSize;
        }
        return new SealedChannel(blobKey, streams, starts, firstPlain, plainSegment);
    }

    /** One stream of the blob: where it is, its header, and its ciphertext's length. */
    private record Located(long start, long end, StreamHeader header, byte[] encodedHeader, long ciphertextLength) {
        long recordsStart() {
            return start + encodedHeader.length;
        }
    }

    /**
     * Finds the stream that starts at {@code start}: its header, then its end, trying {@code end} (when not
     * -1) before walking its records one length field at a time.
     */
    private static @Nullable Located locate(RangeSource source, long start, long total, long end, SealingKey key)
            throws IOException {
        byte[] head = source.read(start, (int) Math.min(HEADER_READ, total - start));
        StreamHeader h;
        try {
            h = StreamHeader.read(new ByteArrayInputStream(head));
        } catch (IOException e) {
            return null;
        }
        if (h == null || !h.encrypted() || h.deflated() || !MessageDigest.isEqual(h.keyId(), key.id())) {
            return null;
        }
        byte[] encoded = h.encode();
        long records = start + encoded.length;
        int r = h.segmentSize();
        // a manifest is followed by its parts: only its records say where it ends
        if (end > records && end <= total && h.type() != SealedFormat.TYPE_MANIFEST) {
            long c = ciphertextLength(end - records - 4, r);
            byte[] terminator = c > 0 ? source.read(end - 4, 4) : new byte[0];
            if (terminator.length == 4 && ByteBuffer.wrap(terminator).getInt() == 0) {
                return new Located(start, end, h, encoded, c);
            }
        }
        long at = records;
        long c = 0;
        while (true) {
            byte[] length = source.read(at, 4);
            if (length.length < 4) {
                return null;
            }
            int n = ByteBuffer.wrap(length).getInt();
            if (n == 0) {
                return c > 0 ? new Located(start, at + 4, h, encoded, c) : null;
            }
            if (n < 0 || n > r || (c % r) != 0) {
                return null; // only full records before the last map to segments by arithmetic
            }
            c += n;
            at += 4L + n;
            if (at > total) {
                return null;
            }
        }
    }

    /** Returns the ciphertext length of records of {@code r} bytes taking {@code body} stored bytes, or -1. */
    static long ciphertextLength(long body, int r) {
        if (body <= 4) {
            return -1;
        }
        long records = (body + r + 3) / (r + 4);
        long c = body - 4 * records;
        return c > (records - 1) * r && c <= records * r ? c : -1;
    }

    /**
     * Returns the plaintext length of a stream's ciphertext (Tink's seekable channel knows it only after it read
     * the header), or -1 if no ciphertext has that length: Tink's header, then a 16-byte tag per segment.
     */
    private static long plaintextLength(Located s, SealingKey key) {
        AesGcmHkdfStreaming tink = key.segments(s.header.segmentSize());
        long r = tink.getCiphertextSegmentSize();
        long segments = (s.ciphertextLength + r - 1) / r;
        long plain = s.ciphertextLength - tink.getCiphertextOffset() - segments * (r - tink.getPlaintextSegmentSize());
        long last = s.ciphertextLength - (segments - 1) * r;
        return plain >= 0 && last >= r - tink.getPlaintextSegmentSize() ? plain : -1;
    }

    private static int @Nullable [] readManifest(Located m, RangeSource source, byte[] keyBytes, SealingKey key) throws IOException {
        long n = plaintextLength(m, key);
        try (SeekableByteChannel plain = decrypting(m, source, keyBytes, key, null)) {
            if (n < 4 || n > 4 + 4L * SealedFormat.MAX_MANIFEST_PARTS) {
                return null;
            }
            ByteBuffer all = ByteBuffer.allocate((int) n);
            while (all.hasRemaining()) {
                if (plain.read(all) < 0) {
                    return null;
                }
            }
            all.flip();
            int count = all.getInt();
            if (count < 0 || all.remaining() != 4L * count) {
                return null;
            }
            int[] parts = new int[count];
            for (int i = 0; i < count; i++) {
                parts[i] = all.getInt();
            }
            return parts;
        } catch (IOException e) {
            return null; // the stream path reports it
        }
    }

    private static SeekableByteChannel decrypting(Located s, RangeSource source, byte[] keyBytes, SealingKey key,
                                                  @Nullable String blobKey) throws IOException {
        try {
            return key.streamingAead(s.header.segmentSize()).newSeekableDecryptingChannel(
                    new RecordChannel(source, s.recordsStart(), s.header.segmentSize(), s.ciphertextLength),
                    SealingInputStream.associatedData(s.encodedHeader, keyBytes));
        } catch (GeneralSecurityException e) {
            throw new BlobIntegrityException(Reason.TAMPERED, blobKey == null ? "" : blobKey,
                    "cannot be decrypted: " + e.getMessage());
        }
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
        if (!open) {
            throw new java.nio.channels.ClosedChannelException();
        }
        if (position >= size) {
            return dst.hasRemaining() ? -1 : 0;
        }
        int done = 0;
        while (dst.hasRemaining() && position < size) {
            int i = streamAt(position);
            long q = position - starts[i];
            // the plaintext of the Tink segment holding q: segment 0 is shorter by Tink's header
            long segmentStart = q < firstPlain[i] ? 0 : q - (q - firstPlain[i]) % plainSegment[i];
            int length = (int) Math.min(segmentStart == 0 ? firstPlain[i] : plainSegment[i],
                    starts[i + 1] - starts[i] - segmentStart);
            long blockStart = starts[i] + segmentStart;
            byte[] block = recent.get(blockStart);
            if (block == null) {
                block = segment(i, segmentStart, length);
                recent.put(blockStart, block);
            }
            int at = (int) (position - blockStart);
            int n = Math.min(dst.remaining(), block.length - at);
            dst.put(block, at, n);
            position += n;
            done += n;
        }
        return done;
    }

    /** Reads one Tink segment's plaintext, verified, from stream {@code i}. */
    private byte[] segment(int i, long segmentStart, int length) {
        SeekableByteChannel s = streams.get(i);
        ByteBuffer block = ByteBuffer.allocate(length);
        try {
            s.position(segmentStart);
            while (block.hasRemaining()) {
                if (s.read(block) <= 0) {
                    throw new BlobIntegrityException(Reason.TRUNCATED, blobKey, "ends before byte "
                            + (starts[i] + segmentStart + block.position()));
                }
            }
        } catch (BlobIntegrityException e) {
            throw e;
        } catch (IOException e) {
            throw new BlobIntegrityException(Reason.TAMPERED, blobKey, "failed authentication at byte "
                    + (starts[i] + segmentStart) + " (changed, moved or cut after it was written)");
        }
        return block.array();
    }

    private int streamAt(long pos) {
        int lo = 0;
        int hi = streams.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= pos) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    public synchronized void close() throws IOException {
        open = false;
        recent.clear();
        for (SeekableByteChannel s : streams) {
            s.close();
        }
    }

    /**
     * One stream's ciphertext, read from its records: record {@code i} holds ciphertext bytes
     * {@code [i*r, (i+1)*r)} after a 4-byte length, so a Tink segment is one ranged read.
     */
    private static final class RecordChannel extends ReadOnlyChannel {
        private final RangeSource source;
        private final long start;
        private final int r;

        RecordChannel(RangeSource source, long start, int r, long length) {
            super(length);
            this.source = source;
            this.start = start;
            this.r = r;
        }

        @Override
        public synchronized int read(ByteBuffer dst) throws IOException {
            if (position >= size) {
                return -1;
            }
            int done = 0;
            while (dst.hasRemaining() && position < size) {
                long record = position / r;
                int within = (int) (position % r);
                int n = (int) Math.min(Math.min(dst.remaining(), r - within), size - position);
                ByteBuffer slice = dst.duplicate();
                slice.limit(slice.position() + n);
                int got = source.read(start + record * (r + 4L) + 4 + within, slice);
                dst.position(dst.position() + got);
                position += got;
                done += got;
                if (got < n) {
                    break; // the stored blob is shorter than its records said: Tink reports the short segment
                }
            }
            return done;
        }
    }
}
