package dev.aar.core.extract;

import dev.aar.core.config.ScaleLimits;
import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.ArchiveRejectedException.Reason;
import dev.aar.core.extract.internal.ArchiveWalker;
import dev.aar.core.extract.internal.EntryVisitor;
import dev.aar.core.extract.internal.LimitedInputStream;
import dev.aar.core.extract.internal.WalkSummary;
import dev.aar.core.extract.internal.ZipLimits;
import dev.aar.core.internal.FileTrees;
import dev.aar.core.internal.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Extracts an untrusted archive (ZIP, tar, tar.gz or tar.xz, told apart by its first bytes) into a
 * directory, keeping only indexable files.
 *
 * <p>A ZIP works from a file (central directory first: the whole archive is validated before anything is
 * written, then entries are inflated on {@link ExtractionOptions#workers()} threads) or from a plain
 * stream (local headers, for data still arriving; the central directory at the end is checked
 * against what was read). Both apply the same rules and give the same result. A tar is read as a
 * stream either way, under the same rules (see {@code TarWalker} for how its limits apply).
 *
 * <p>Everything is written to a fresh staging directory beside the target and renamed to the target
 * only when the whole archive was read and verified, so a refused, failed or cancelled run leaves
 * nothing behind. The target must not exist or be an empty directory. Memory stays bounded
 * whatever the archive: a few buffers per thread and a few dozen bytes per entry.
 */
public final class StreamingZipExtractor {

    private final ScaleLimits limits;
    private final ExtractionOptions options;
    private final int maxPathBytes;

    public StreamingZipExtractor(ScaleLimits limits) {
        this(limits, ExtractionOptions.defaults());
    }

    public StreamingZipExtractor(ScaleLimits limits, ExtractionOptions options) {
        this(limits, options, ExtractingVisitor.MAX_PATH_BYTES);
    }

    /** Tests only: {@code maxPathBytes} replaces the platform's longest path, to reach the rules behind it. */
    StreamingZipExtractor(ScaleLimits limits, ExtractionOptions options, int maxPathBytes) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.options = Objects.requireNonNull(options, "options");
        this.maxPathBytes = maxPathBytes;
    }

    /** Extracts the archive file {@code archive} into {@code target}. */
    public ExtractionResult extract(Path archive, Path target) {
        return extract(archive, target, ExtractionListener.NONE, Cancellation.NEVER);
    }

    /**
     * Extracts the archive file {@code archive} into {@code target}.
     *
     * @throws dev.aar.core.error.ArchiveRejectedException the archive is hostile, corrupt or over a limit
     * @throws ExtractionCancelledException {@code cancellation} fired
     * @throws UncheckedIOException reading the archive or writing the files failed
     */
    public ExtractionResult extract(Path archive, Path target, ExtractionListener listener, Cancellation cancellation) {
        Objects.requireNonNull(archive, "archive");
        checkUploadSize(archive);
        return run(target, listener, cancellation,
                visitor -> ArchiveWalker.walk(archive, zipLimits(), options.workers(), cancellation, visitor));
    }

    /**
     * Extracts the archive in {@code archive} (a stored blob opened for seeking, say: no copy to a file is
     * needed) into {@code target}; not closed. With more than one worker the channel is shared under its lock.
     * Throws as {@link #extract(Path, Path, ExtractionListener, Cancellation)}.
     */
    public ExtractionResult extract(SeekableByteChannel archive, Path target, ExtractionListener listener,
                                    Cancellation cancellation) {
        Objects.requireNonNull(archive, "archive");
        try {
            if (archive.size() > limits.maxUploadSizeBytes()) {
                throw LimitedInputStream.tooLarge(archive.size() + " bytes", limits.maxUploadSizeMb());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive: " + e.getMessage(), e);
        }
        return run(target, listener, cancellation,
                visitor -> ArchiveWalker.walk(archive, zipLimits(), options.workers(), cancellation, visitor));
    }

    /** Extracts an archive arriving on {@code archive} (read to its end, not closed). */
    public ExtractionResult extract(InputStream archive, Path target, ExtractionListener listener,
                                    Cancellation cancellation) {
        Objects.requireNonNull(archive, "archive");
        return run(target, listener, cancellation,
                visitor -> ArchiveWalker.walk(new LimitedInputStream(archive, limits.maxUploadSizeMb()), zipLimits(),
                        cancellation, visitor));
    }

    private void checkUploadSize(Path archive) {
        try {
            long size = Files.size(archive);
            if (size > limits.maxUploadSizeBytes()) {
                throw LimitedInputStream.tooLarge(size + " bytes", limits.maxUploadSizeMb());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + archive + ": " + e.getMessage(), e);
        }
    }

    /**
     * The refusal of a project with more indexable files than {@code MaxFilesPerProject}; preflight and
     * extraction count the same files (excluded directories, binary and oversized files do not count).
     *
     * @param files how many there are, or -1 when counting stopped at the first one over the limit
     */
    public static ArchiveRejectedException tooManyFiles(long files, int maxFilesPerProject) {
        return new ArchiveRejectedException(Reason.TOO_MANY_FILES, null, "the archive holds "
                + (files >= 0 ? files : "more than " + maxFilesPerProject) + " indexable files,"
                + " more than ScaleLimits.MaxFilesPerProject = " + maxFilesPerProject);
    }

    private ZipLimits zipLimits() {
        return ZipLimits.of(limits, options);
    }

    private interface Walker {
        WalkSummary walk(EntryVisitor visitor) throws IOException;
    }

    private ExtractionResult run(Path target, ExtractionListener listener, Cancellation cancellation, Walker walker) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(cancellation, "cancellation");
        Path dest = Objects.requireNonNull(target, "target").toAbsolutePath().normalize();
        Path staging = prepare(dest);
        boolean published = false;
        try {
            SkipLog log = new SkipLog(listener, options.maxReportedSkips());
            ExtractingVisitor visitor = new ExtractingVisitor(staging, IndexableFileRule.of(limits),
                    limits.maxFilesPerProject(), log, options.progressInterval().toNanos(), maxPathBytes);
            WalkSummary summary = walker.walk(visitor);
            cancellation.check();
            log.progress(visitor.finalProgress(summary.entries()));
            publish(staging, dest);
            published = true;
            return new ExtractionResult(dest, summary.entries(), visitor.files(), visitor.bytes(), log.total(),
                    log.counts(), log.kept());
        } catch (IOException e) {
            throw new UncheckedIOException("extraction into " + dest + " failed: " + e.getMessage(), e);
        } finally {
            if (!published) {
                deleteTree(staging);
            }
        }
    }

    private static Path prepare(Path dest) {
        try {
            if (Files.exists(dest)) {
                if (!Files.isDirectory(dest)) {
                    throw new IllegalArgumentException("target " + dest + " exists and is not a directory");
                }
                try (Stream<Path> s = Files.list(dest)) {
                    if (s.findAny().isPresent()) {
                        throw new IllegalArgumentException("target " + dest + " is not empty; extraction needs an empty"
                                + " or absent directory");
                    }
                }
            }
            Path parent = dest.getParent();
            OwnerOnly.createDirectories(parent);
            // owner-only: the target gets the staging directory's mode when it is renamed into place
            return OwnerOnly.createDirectory(parent.resolve("." + dest.getFileName() + ".aar-" + UUID.randomUUID() + ".partial"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dest + ": " + e.getMessage(), e);
        }
    }

    private static void publish(Path staging, Path dest) throws IOException {
        try {
            Files.deleteIfExists(dest);
        } catch (DirectoryNotEmptyException e) {
            throw new IllegalStateException("target " + dest + " was filled by someone else during extraction", e);
        }
        Files.move(staging, dest, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes the staging tree without following links; it runs while another error propagates. */
    private static void deleteTree(Path root) {
        try {
            FileTrees.delete(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the staging directory " + root, e);
        }
    }
}
