package dev.aar.core.resilience;

import dev.aar.core.error.ResilienceException;
import dev.aar.storage.BlobInfo;
import dev.aar.storage.BlobStore;
import dev.aar.storage.BlobStoreException;
import dev.aar.storage.PartLayout;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Applies the {@code BlobStoragePipeline} to any {@link BlobStore}: operations that are safe to
 * repeat are retried on transient failures ({@link UncheckedIOException}) with backoff, each attempt
 * limited to the pipeline's attempt timeout.
 *
 * <p>Exactly what is retried:
 * <ul>
 *   <li>{@link #get} and the ranged {@link #get(String, long, long)} (opening the stream; reading it afterwards
 *       is the caller's), {@link #stat},
 *       {@link #exists}, {@link #list}, {@link #abortParts}: retried, with the attempt timeout.</li>
 *   <li>{@link #delete}: retried, with the attempt timeout; if an attempt deleted the blob but its
 *       reply was lost, the retry reports {@code false}.</li>
 *   <li>{@link #put} and {@link #stagePart} with an {@link InputStream}: attempted once, without a
 *       timeout. A stream that was partly read cannot be replayed, and buffering it would defeat
 *       streaming. Use {@link #put(String, Callable)} and {@link #stagePart(String, String, int, Callable)},
 *       which open a fresh stream for each attempt, to have them retried.</li>
 *   <li>{@link #commitParts}: attempted once, with the attempt timeout. A commit whose reply was lost
 *       has already discarded its staged parts, so repeating it would fail misleadingly; the upload
 *       session's finalize, which the client retries, is the place to repeat it.</li>
 * </ul>
 * Transfers ({@code put}, {@code stagePart}) are never cut by the attempt timeout: a large archive
 * takes as long as it takes. Closing this closes the delegate.
 */
public final class ResilientBlobStore implements BlobStore {

    private final BlobStore delegate;
    private final ResiliencePipeline operations;
    private final ResiliencePipeline transfers;
    private final ResiliencePipeline once;

    private final boolean ownsOperations;
    private final boolean closesDelegate;

    private ResilientBlobStore(BlobStore delegate, PipelineConfig config, MeterRegistry meters) {
        this(delegate, ResiliencePipeline.of(BlobStoragePipeline.NAME, config, meters), true, true, meters);
    }

    private ResilientBlobStore(BlobStore delegate, ResiliencePipeline operations, boolean ownsOperations,
            boolean closesDelegate, MeterRegistry meters) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.operations = operations;
        this.ownsOperations = ownsOperations;
        this.closesDelegate = closesDelegate;
        PipelineConfig config = operations.config();
        this.transfers = ResiliencePipeline.of(BlobStoragePipeline.NAME + "-transfer",
                config.toBuilder().attemptTimeout(Duration.ZERO).build(), meters);
        this.once = ResiliencePipeline.of(BlobStoragePipeline.NAME + "-once", config.toBuilder().maxRetries(0).build(), meters);
    }

    /** Wraps {@code delegate} with the spec's {@link BlobStoragePipeline#config()}; metrics go to {@code meters} if not null. */
    public static ResilientBlobStore wrap(BlobStore delegate, MeterRegistry meters) {
        return new ResilientBlobStore(delegate, BlobStoragePipeline.config(), meters);
    }

    /** Wraps {@code delegate} with {@code config}; metrics go to {@code meters} if not null. */
    public static ResilientBlobStore wrap(BlobStore delegate, PipelineConfig config, MeterRegistry meters) {
        return new ResilientBlobStore(delegate, config, meters);
    }

    /**
     * Wraps {@code delegate} with the registry's shared {@link BlobStoragePipeline} (its metrics and settings);
     * closing the result closes neither the delegate, which its owner closes, nor the shared pipeline.
     */
    public static ResilientBlobStore wrap(BlobStore delegate, PipelineRegistry pipelines) {
        return new ResilientBlobStore(delegate, pipelines.pipeline(BlobStoragePipeline.NAME), false, false,
                pipelines.meterRegistry());
    }

    /** Returns the store this decorator calls. */
    public BlobStore delegate() {
        return delegate;
    }

    /** Returns the pipeline that retries this store's operations. */
    public ResiliencePipeline pipeline() {
        return operations;
    }

    /** Stores the stream in one attempt; see the class comment for why it is not retried. */
    @Override
    public long put(String key, InputStream data) {
        return delegate.put(key, data);
    }

    /** Stores the bytes of a stream that {@code source} opens afresh for every attempt; retried. */
    public long put(String key, Callable<? extends InputStream> source) {
        return run(transfers, () -> {
            try (InputStream in = open(source)) {
                return delegate.put(key, in);
            } catch (IOException e) {
                throw BlobStore.failure("closing the source of " + key, e);
            }
        });
    }

    @Override
    public Optional<InputStream> get(String key) {
        return run(operations, () -> delegate.get(key));
    }

    @Override
    public Optional<InputStream> get(String key, long offset, long length) {
        return run(operations, () -> delegate.get(key, offset, length));
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        return run(operations, () -> delegate.stat(key));
    }

    @Override
    public boolean exists(String key) {
        return run(operations, () -> delegate.exists(key));
    }

    @Override
    public boolean delete(String key) {
        return run(operations, () -> delegate.delete(key));
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        return run(operations, () -> delegate.list(prefix));
    }

    /** Stages the part in one attempt; see the class comment for why it is not retried. */
    @Override
    public long stagePart(String key, String uploadId, int partNumber, InputStream data) {
        return delegate.stagePart(key, uploadId, partNumber, data);
    }

    /** Stages the part in one attempt, like {@link #stagePart(String, String, int, InputStream)}. */
    @Override
    public long stagePart(String key, String uploadId, int partNumber, PartLayout layout, InputStream data) {
        return delegate.stagePart(key, uploadId, partNumber, layout, data);
    }

    /** Stages a part whose bytes {@code source} opens afresh for every attempt; retried (re-staging replaces). */
    public long stagePart(String key, String uploadId, int partNumber, Callable<? extends InputStream> source) {
        return run(transfers, () -> {
            try (InputStream in = open(source)) {
                return delegate.stagePart(key, uploadId, partNumber, in);
            } catch (IOException e) {
                throw BlobStore.failure("closing the source of part " + partNumber + " of " + key, e);
            }
        });
    }

    @Override
    public BlobInfo commitParts(String key, String uploadId, List<Integer> partNumbers) {
        return run(once, () -> delegate.commitParts(key, uploadId, partNumbers));
    }

    @Override
    public void abortParts(String key, String uploadId) {
        run(operations, () -> {
            delegate.abortParts(key, uploadId);
            return null;
        });
    }

    @Override
    public void close() {
        try {
            if (closesDelegate) {
                delegate.close();
            }
        } finally {
            if (ownsOperations) {
                operations.close();
            }
            transfers.close();
            once.close();
        }
    }

    @Override
    public String toString() {
        return "ResilientBlobStore[" + delegate + "]";
    }

    private static InputStream open(Callable<? extends InputStream> source) {
        try {
            return Objects.requireNonNull(source.call(), "source returned null");
        } catch (IOException e) {
            throw BlobStore.failure("opening the source stream", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("opening the source stream failed: " + e.getMessage(), e);
        }
    }

    /** Runs through the pipeline; the pipeline's own refusals leave as the SPI's {@link BlobStoreException}. */
    private static <T> T run(ResiliencePipeline pipeline, Supplier<T> call) {
        try {
            return pipeline.execute(call);
        } catch (ResilienceException e) {
            throw new BlobStoreException(e.getMessage(), new IOException(e.getMessage(), e));
        }
    }
}
