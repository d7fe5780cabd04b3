package dev.aar.core.preflight;

import com.knuddels.jtokkit.api.Encoding;
import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.NotFoundException;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.extract.Cancellation;
import dev.aar.core.extract.ExtractionOptions;
import dev.aar.core.extract.StreamingZipExtractor;
import dev.aar.core.extract.internal.ArchiveWalker;
import dev.aar.core.extract.internal.LimitedInputStream;
import dev.aar.core.extract.internal.ZipLimits;
import dev.aar.core.project.Project;
import dev.aar.core.tokens.Tokenizers;
import dev.aar.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Analyses an archive without writing anything and answers the spec's preflight questions: how
 * many indexable files, bytes and tokens, what it costs, how long it takes, whether it needs
 * approval and whether it is within limits.
 *
 * <p>It walks the archive with the same rules and defences as extraction, so a hostile archive
 * becomes a rejection reason (with the same code extraction would throw), never a crash.
 */
public final class PreflightService {

    /** FAST mode tokenizes about one file in this many (by a hash of its path). */
    public static final int DEFAULT_SAMPLE_ONE_IN = 16;
    /** Archives up to this size are counted exactly even in FAST mode: sampling would save little. */
    public static final long DEFAULT_EXACT_BELOW_BYTES = 4L * 1024 * 1024;

    private final AarConfig config;
    private final ThroughputEstimator estimator;
    private final ExtractionOptions options;
    private final Supplier<Encoding> encoding;

    /** A preflight whose time estimate comes from the cold-start {@link ThroughputModel}. */
    public PreflightService(AarConfig config) {
        this(config, ThroughputEstimator.coldStart(config), ExtractionOptions.defaults());
    }

    public PreflightService(AarConfig config, ThroughputEstimator estimator, ExtractionOptions options) {
        this.config = Objects.requireNonNull(config, "config");
        this.estimator = Objects.requireNonNull(estimator, "estimator");
        this.options = Objects.requireNonNull(options, "options");
        // the vocabulary loads while the walk reads the central directory; the first sampled file waits for it
        this.encoding = Tokenizers.encodingInBackground(config.embeddingProcessing().tokenEncoding());
    }

    /** Analyses the archive file {@code archive} (a ZIP central directory first, on all worker threads). */
    public PreflightResult analyze(Path archive, TokenMode mode) {
        return analyze(archive, mode, Cancellation.NEVER);
    }

    public PreflightResult analyze(Path archive, TokenMode mode, Cancellation cancellation) {
        long size;
        try {
            size = Files.size(archive);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + archive + ": " + e.getMessage(), e);
        }
        return analyze(size, mode, (limits, visitor) ->
                ArchiveWalker.walk(archive, limits, options.workers(), cancellation, visitor));
    }

    /**
     * Analyses the archive readable by seeking in {@code archive} (a stored blob opened where it is stored)
     * as {@link #analyze(Path, TokenMode, Cancellation)} does a file: a ZIP central directory first, then the
     * entries on all worker threads (sharing the channel); does not close it.
     */
    public PreflightResult analyze(SeekableByteChannel archive, TokenMode mode, Cancellation cancellation) {
        long size;
        try {
            size = archive.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive: " + e.getMessage(), e);
        }
        return analyze(size, mode, (limits, visitor) ->
                ArchiveWalker.walk(archive, limits, options.workers(), cancellation, visitor));
    }

    /** How a seekable archive is walked. */
    private interface Walk {
        void walk(ZipLimits limits, CountingVisitor visitor) throws IOException;
    }

    private PreflightResult analyze(long size, TokenMode mode, Walk walk) {
        List<RejectionReason> reasons = new ArrayList<>();
        ScaleLimits limits = config.scaleLimits();
        if (size > limits.maxUploadSizeBytes()) {
            reasons.add(uploadTooLarge(size));
        }
        CountingVisitor visitor = new CountingVisitor(encoding,
                mode == TokenMode.EXACT || size <= DEFAULT_EXACT_BELOW_BYTES ? 1 : DEFAULT_SAMPLE_ONE_IN, false);
        try {
            walk.walk(ZipLimits.of(limits, options), visitor);
        } catch (ArchiveRejectedException e) {
            reasons.add(new RejectionReason(e.code(), e.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive: " + e.getMessage(), e);
        }
        return result(visitor, reasons);
    }

    /** Analyses an archive arriving on {@code archive}, reading at most {@code MaxUploadSizeMb}; does not close it. */
    public PreflightResult analyze(InputStream archive, TokenMode mode, Cancellation cancellation) {
        List<RejectionReason> reasons = new ArrayList<>();
        LimitedInputStream limited = new LimitedInputStream(archive, config.scaleLimits().maxUploadSizeMb());
        CountingVisitor visitor = new CountingVisitor(encoding,
                mode == TokenMode.EXACT ? 1 : DEFAULT_SAMPLE_ONE_IN, true);
        try {
            ArchiveWalker.walk(limited, ZipLimits.of(config.scaleLimits(), options), cancellation, visitor);
        } catch (ArchiveRejectedException e) {
            reasons.add(new RejectionReason(e.code(), e.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive stream: " + e.getMessage(), e);
        }
        return result(visitor, reasons);
    }

    /** Analyses a project's stored archive, streaming it from {@code blobs}. */
    public PreflightResult analyze(Project project, BlobStore blobs, TokenMode mode) {
        return analyze(project, blobs, mode, Cancellation.NEVER);
    }

    /** {@link #analyze(Project, BlobStore, TokenMode)} that stops when {@code cancellation} fires. */
    public PreflightResult analyze(Project project, BlobStore blobs, TokenMode mode, Cancellation cancellation) {
        try (InputStream in = blobs.get(project.archiveKey())
                .orElseThrow(() -> new NotFoundException("archive", project.archiveKey()))) {
            return analyze(in, mode, cancellation);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive of project " + project.id(), e);
        }
    }

    private RejectionReason uploadTooLarge(long size) {
        ArchiveRejectedException e = LimitedInputStream.tooLarge(size + " bytes", config.scaleLimits().maxUploadSizeMb());
        return new RejectionReason(e.code(), e.getMessage());
    }

    /**
     * Returns {@code earlier}'s counts and verdict with the time estimate made again: a cached result
     * keeps its counts (the archive never changes) but not its estimate, which follows the jobs that
     * finished since and the queue now.
     */
    public PreflightResult reestimate(PreflightResult earlier) {
        Estimate estimate = estimator.estimate(earlier.fileCount(), earlier.totalBytes(), earlier.estimatedTokens());
        return new PreflightResult(earlier.fileCount(), earlier.totalBytes(), earlier.estimatedTokens(),
                earlier.estimatedCost(), estimate.minutes(), earlier.requiresApproval(), earlier.isWithinLimits(),
                earlier.rejectionReasons(), (long) Math.ceil(estimate.totalSeconds()),
                (long) Math.ceil(estimate.startInSeconds()), estimate);
    }

    private PreflightResult result(CountingVisitor v, List<RejectionReason> reasons) {
        ScaleLimits limits = config.scaleLimits();
        long files = v.files();
        if (files > limits.maxFilesPerProject()) {
            ArchiveRejectedException e = StreamingZipExtractor.tooManyFiles(files, limits.maxFilesPerProject());
            reasons.add(new RejectionReason(e.code(), e.getMessage()));
        }
        long bytes = v.bytes();
        long tokens = v.tokens();
        double cost = tokens / 1_000_000.0 * config.embeddingProcessing().costPerMillionTokens();
        boolean approval = files > limits.autoApprovalThresholdFiles() || tokens > limits.autoApprovalThresholdTokens();
        return reestimate(new PreflightResult(files, bytes, tokens, cost, 0, approval, reasons.isEmpty(), reasons, 0, 0,
                Estimate.NONE));
    }
}
