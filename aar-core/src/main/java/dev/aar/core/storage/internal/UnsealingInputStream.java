package dev.aar.core.storage.internal;

import dev.aar.core.error.BlobIntegrityException;
import dev.aar.core.error.BlobIntegrityException.Reason;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Reads a sealed blob back as plaintext. Encrypted streams go through Tink's decrypting stream,
 * which returns a segment's bytes only after its tag verified; anything that does not verify ends
 * the stream with a {@link BlobIntegrityException}. A reader must consume to the end: a missing
 * last segment or part is only known there.
 */
public final class UnsealingInputStream extends ChunkedInputStream {

    private static final int INFLATE_BUFFER = 64 * 1024;

    private final DataInputStream in;
    private final String blobKey;
    private final byte[] blobKeyBytes;
    private final SealingKey key;
    private final Inflater inflater = new Inflater();

    private StreamHeader stream;
    private InputStream payload;
    private InputStream plain;
    private boolean finished;
    private BlobIntegrityException failure;

    private String uploadId;
    private int[] manifest;
    private int nextPart;

    /** @param key the storage key, or null when encryption is off (then encrypted blobs are refused) */
    public UnsealingInputStream(InputStream stored, String blobKey, SealingKey key) {
        this.in = new DataInputStream(stored);
        this.blobKey = blobKey;
        this.blobKeyBytes = blobKey.getBytes(StandardCharsets.UTF_8);
        this.key = key;
    }


    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (failure != null) {
            throw failure; // a caller that caught it and read on must not mistake the stop for an end
        }
        try {
            while (true) {
                if (plain != null) {
                    int n = plain.read(b, off, len);
                    if (n >= 0) {
                        return n;
                    }
                    endStream();
                } else if (finished) {
                    return -1;
                } else {
                    nextStream();
                }
            }
        } catch (BlobIntegrityException e) {
            throw e;
        } catch (IOException e) {
            throw fail(Reason.TAMPERED, "failed authentication in " + describe(stream)
                    + " (changed, moved or cut after it was written)");
        }
    }

    private void nextStream() throws IOException {
        boolean first = stream == null;
        StreamHeader h = readHeader();
        if (first) {
            if (h == null) {
                throw fail(Reason.TRUNCATED, "is empty where a sealed stream was expected");
            }
            begin(h);
            if (h.type() == SealedFormat.TYPE_MANIFEST) {
                readManifest();
            } else if (h.type() != SealedFormat.TYPE_SINGLE) {
                throw fail(Reason.TAMPERED, "starts with part " + h.partNumber() + " instead of its manifest");
            }
            return;
        }
        if (manifest == null || nextPart == manifest.length) {
            if (h != null) {
                throw fail(Reason.TAMPERED, "has data after its last stream");
            }
            finished = true;
            return;
        }
        if (h == null) {
            throw fail(Reason.TRUNCATED, "ends after " + nextPart + " of " + manifest.length + " parts");
        }
        if (h.type() != SealedFormat.TYPE_PART || !h.uploadId().equals(uploadId) || h.partNumber() != manifest[nextPart]) {
            throw fail(Reason.REORDERED, "holds " + describe(h) + " where part " + manifest[nextPart] + " of upload "
                    + uploadId + " belongs");
        }
        nextPart++;
        begin(h);
    }

    private StreamHeader readHeader() throws IOException {
        try {
            return StreamHeader.read(in);
        } catch (StreamHeader.MalformedHeader e) {
            throw fail(Reason.UNSUPPORTED_FORMAT, e.getMessage());
        } catch (EOFException e) {
            throw fail(Reason.TRUNCATED, "ends inside a stream header");
        }
    }

    private void begin(StreamHeader h) throws IOException {
        stream = h;
        Records records = new Records(h);
        if (h.encrypted()) {
            if (key == null) {
                throw fail(Reason.KEY_MISSING, "is encrypted but no StoragePolicy.EncryptionKey (AAR_STORAGE_KEY) is configured");
            }
            if (!MessageDigest.isEqual(h.keyId(), key.id())) {
                throw fail(Reason.WRONG_KEY, "was encrypted with another key than the configured one");
            }
            try {
                payload = key.streamingAead(h.segmentSize()).newDecryptingStream(records,
                        SealingInputStream.associatedData(h.encode(), blobKeyBytes));
            } catch (GeneralSecurityException e) {
                throw fail(Reason.TAMPERED, "cannot be decrypted: " + e.getMessage());
            }
        } else if (key != null) {
            throw fail(Reason.NOT_ENCRYPTED, "is not encrypted although encryption is enabled");
        } else {
            payload = records;
        }
        if (h.deflated()) {
            inflater.reset();
            plain = new InflaterInputStream(payload, inflater, INFLATE_BUFFER);
        } else {
            plain = payload;
        }
    }

    /** Checks that a stream's plaintext ended exactly at the end of its payload. */
    private void endStream() throws IOException {
        if (stream.deflated() && (inflater.getRemaining() > 0 || payload.read() != -1)) {
            throw fail(Reason.TAMPERED, "has data after the compressed end of " + describe(stream));
        }
        plain = null;
        payload = null;
    }

    private void readManifest() throws IOException {
        uploadId = stream.uploadId();
        int most = 4 + 4 * SealedFormat.MAX_MANIFEST_PARTS;
        byte[] bytes = plain.readNBytes(most + 1);
        if (bytes.length > most) {
            throw fail(Reason.UNSUPPORTED_FORMAT, "has a manifest longer than " + SealedFormat.MAX_MANIFEST_PARTS + " parts");
        }
        if (plain.read() != -1) {
            throw fail(Reason.TAMPERED, "has a malformed manifest");
        }
        endStream();
        ByteBuffer all = ByteBuffer.wrap(bytes);
        int count = all.remaining() >= 4 ? all.getInt() : -1;
        if (count < 0 || all.remaining() != 4 * count) {
            throw fail(Reason.UNSUPPORTED_FORMAT, "has a malformed manifest");
        }
        manifest = new int[count];
        for (int i = 0; i < count; i++) {
            manifest[i] = all.getInt();
        }
    }

    private static String describe(StreamHeader h) {
        if (h == null) {
            return "the stream";
        }
        return switch (h.type()) {
            case SealedFormat.TYPE_PART -> "part " + h.partNumber() + " of upload " + h.uploadId();
            case SealedFormat.TYPE_MANIFEST -> "the manifest of upload " + h.uploadId();
            default -> "the stream";
        };
    }

    private BlobIntegrityException fail(Reason reason, String message) {
        finished = true;
        plain = null;
        failure = new BlobIntegrityException(reason, blobKey, message);
        return failure;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }

    /**
     * One stream's payload: the bodies of its records up to the terminator. Without encryption each
     * record is held and its CRC checked before any of it is returned.
     */
    private final class Records extends ChunkedInputStream {
        private final StreamHeader header;
        private final byte[] body;
        private int pos;
        private int limit;
        private int remaining;
        private int index;
        private boolean ended;

        Records(StreamHeader header) {
            this.header = header;
            this.body = header.encrypted() ? null : new byte[header.segmentSize()];
        }


        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (pos == limit && remaining == 0) {
                if (ended || !nextRecord()) {
                    return -1;
                }
            }
            if (body != null) {
                int n = Math.min(len, limit - pos);
                System.arraycopy(body, pos, b, off, n);
                pos += n;
                return n;
            }
            int n = in.read(b, off, Math.min(len, remaining));
            if (n < 0) {
                throw truncated();
            }
            remaining -= n;
            return n;
        }

        private boolean nextRecord() throws IOException {
            try {
                int length = in.readInt();
                if (length == 0) {
                    ended = true;
                    return false;
                }
                if (length < 0 || (body != null && length > body.length)) {
                    throw fail(Reason.TAMPERED, "has a malformed record " + index + " in " + describe(header));
                }
                if (body == null) {
                    remaining = length;
                } else {
                    in.readFully(body, 0, length);
                    CRC32 crc = new CRC32();
                    crc.update(body, 0, length);
                    if ((int) crc.getValue() != in.readInt()) {
                        throw fail(Reason.TAMPERED, "fails its checksum at record " + index + " of " + describe(header));
                    }
                    pos = 0;
                    limit = length;
                }
                index++;
                return true;
            } catch (EOFException e) {
                throw truncated();
            }
        }

        private BlobIntegrityException truncated() {
            return fail(Reason.TRUNCATED, "ends inside " + describe(header) + " after " + index + " records");
        }
    }
}
