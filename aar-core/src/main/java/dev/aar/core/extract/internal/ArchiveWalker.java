package dev.aar.core.extract.internal;

import dev.aar.core.extract.Cancellation;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Walks an archive of any supported {@link ArchiveFormat}, told apart by its first bytes: a ZIP file
 * through its central directory, a ZIP stream through its local headers, a tar (plain, gzip, xz) as a stream.
 */
public final class ArchiveWalker {

    private ArchiveWalker() {
    }

    /** Walks the archive file {@code file}; ZIP entries are handed to the visitor on {@code workers} threads. */
    public static WalkSummary walk(Path file, ZipLimits limits, int workers, Cancellation cancellation,
                                   EntryVisitor visitor) throws IOException {
        ArchiveFormat format = ArchiveFormat.of(file);
        if (format == ArchiveFormat.ZIP) {
            return SeekableZipWalker.walk(file, limits, workers, cancellation, visitor);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return TarWalker.walk(in, format, limits, cancellation, visitor);
        }
    }

    /**
     * Walks the archive in {@code channel} (a stored blob's, say): a ZIP file through its central directory
     * with positional reads, a tar as a stream from the start; does not close it.
     */
    public static WalkSummary walk(SeekableByteChannel channel, ZipLimits limits, int workers, Cancellation cancellation,
                                   EntryVisitor visitor) throws IOException {
        byte[] head = new byte[ArchiveFormat.SNIFF_BYTES];
        ByteBuffer sniff = ByteBuffer.wrap(head);
        channel.position(0);
        while (sniff.hasRemaining() && channel.read(sniff) > 0) {
            // a channel may return fewer bytes than asked
        }
        ArchiveFormat format = ArchiveFormat.detect(head, sniff.position());
        if (format == ArchiveFormat.ZIP) {
            return SeekableZipWalker.walk(channel, limits, workers, cancellation, visitor);
        }
        channel.position(0);
        return walk(Channels.newInputStream(channel), limits, cancellation, visitor);
    }

    /** Walks the archive arriving on {@code stream} to its end; does not close it. */
    public static WalkSummary walk(InputStream stream, ZipLimits limits, Cancellation cancellation,
                                   EntryVisitor visitor) throws IOException {
        BufferedInputStream in = new BufferedInputStream(stream, 64 * 1024);
        in.mark(ArchiveFormat.SNIFF_BYTES);
        byte[] head = new byte[ArchiveFormat.SNIFF_BYTES];
        ArchiveFormat format = ArchiveFormat.detect(head, in.readNBytes(head, 0, head.length));
        in.reset();
        return format == ArchiveFormat.ZIP ? StreamZipWalker.walk(in, limits, cancellation, visitor)
                : TarWalker.walk(in, format, limits, cancellation, visitor);
    }
}
