package dev.aar.azure.internal;

import com.azure.core.util.BinaryData;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * One upload part read to its end before anything is sent, so its length and MD5 are known.
 *
 * <p>Azure's Put Block needs the exact length up front, and a part whose stream fails part-way must
 * never reach the service. Small parts stay on the heap; a part longer than the memory threshold
 * spills to a temporary file, so memory stays bounded whatever part size a host configures.
 */
public final class SpooledPart implements Closeable {

    private static final int COPY_BUFFER = 64 * 1024;

    private final byte[] memory;
    private final Path file;
    private final long size;
    private final byte[] md5;

    private SpooledPart(byte[] memory, Path file, long size, byte[] md5) {
        this.memory = memory;
        this.file = file;
        this.size = size;
        this.md5 = md5;
    }

    /**
     * Reads {@code data} to its end.
     *
     * @param memoryThreshold longest part kept on the heap, in bytes
     * @param maxSize longest part accepted, in bytes
     * @param spoolDirectory where longer parts are written
     * @throws IOException if reading {@code data} or the spool file fails; nothing is left behind
     * @throws IllegalArgumentException if the part is longer than {@code maxSize}
     */
    public static SpooledPart read(InputStream data, int memoryThreshold, long maxSize, Path spoolDirectory)
            throws IOException {
        MessageDigest digest = Md5.newDigest();
        byte[] head = new byte[Math.min(memoryThreshold, COPY_BUFFER)];
        int headLength = 0;
        while (true) {
            if (headLength == head.length) {
                if (head.length >= memoryThreshold) {
                    break;
                }
                head = Arrays.copyOf(head, (int) Math.min((long) head.length * 2, memoryThreshold));
            }
            int n = data.read(head, headLength, head.length - headLength);
            if (n < 0) {
                digest.update(head, 0, headLength);
                return new SpooledPart(Arrays.copyOf(head, headLength), null, headLength, digest.digest());
            }
            headLength += n;
        }
        return spill(data, head, headLength, digest, maxSize, spoolDirectory);
    }

    private static SpooledPart spill(InputStream data, byte[] head, int headLength, MessageDigest digest,
            long maxSize, Path spoolDirectory) throws IOException {
        Files.createDirectories(spoolDirectory);
        Path file = Files.createTempFile(spoolDirectory, "aar-part-", ".spool");
        boolean kept = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            digest.update(head, 0, headLength);
            out.write(head, 0, headLength);
            long size = headLength;
            byte[] buffer = new byte[COPY_BUFFER];
            int n;
            while ((n = data.read(buffer)) != -1) {
                size += n;
                if (size > maxSize) {
                    throw new IllegalArgumentException("part is longer than " + maxSize
                            + " bytes, the largest block Azure Blob Storage accepts");
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            kept = true;
            return new SpooledPart(null, file, size, digest.digest());
        } finally {
            if (!kept) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Returns the part's length in bytes. */
    public long size() {
        return size;
    }

    /** Returns the MD5 of the part, sent as the block's transactional checksum. */
    public byte[] md5() {
        return md5.clone();
    }

    /** Returns the bytes, replayable, without copying them. */
    public BinaryData data() {
        return memory != null ? BinaryData.fromBytes(memory) : BinaryData.fromFile(file);
    }

    /** Deletes the spool file, if any. */
    @Override
    public void close() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }
}
