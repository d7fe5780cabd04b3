package dev.aar.core.extract.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** The archive formats read, told apart by their first bytes (never by a file name, which the sender chooses). */
public enum ArchiveFormat {
    /** A ZIP file; also what anything unrecognised is read as, so that it is refused with the ZIP reader's reasons. */
    ZIP("application/zip"),
    /** An uncompressed POSIX (ustar, PAX) or GNU tar. */
    TAR("application/x-tar"),
    /** A tar compressed with gzip ({@code .tar.gz}, {@code .tgz}), one or several concatenated members. */
    TAR_GZ("application/gzip"),
    /** A tar compressed with xz ({@code .tar.xz}). */
    TAR_XZ("application/x-xz");

    /** Bytes needed to tell the formats apart: one tar header block. */
    public static final int SNIFF_BYTES = 512;

    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};

    private final String contentType;

    ArchiveFormat(String contentType) {
        this.contentType = contentType;
    }

    /** Returns the media type of the format. */
    public String contentType() {
        return contentType;
    }

    /** Returns the format of an archive starting with the first {@code n} bytes of {@code head}. */
    public static ArchiveFormat detect(byte[] head, int n) {
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return TAR_GZ;
        }
        if (n >= XZ_MAGIC.length && Arrays.equals(head, 0, XZ_MAGIC.length, XZ_MAGIC, 0, XZ_MAGIC.length)) {
            return TAR_XZ;
        }
        if (TarArchiveInputStream.matches(head, n)) {
            return TAR;
        }
        return ZIP;
    }

    /** Returns the format of the archive file {@code file}. */
    public static ArchiveFormat of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = new byte[SNIFF_BYTES];
            return detect(head, in.readNBytes(head, 0, head.length));
        }
    }
}
