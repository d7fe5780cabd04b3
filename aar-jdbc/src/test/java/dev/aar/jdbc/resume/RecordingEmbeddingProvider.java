package dev.aar.jdbc.resume;

import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * A deterministic provider that takes {@code delayMillis} per request and appends the SHA-256 of
 * every input it embedded (the chunks' content hash) to a log, one line each.
 *
 * <p>The delay makes an indexing run long enough to be killed in the middle; the log survives a
 * SIGKILL (each request is one {@code write} to the file), so a test can tell which chunks a node
 * really paid for.
 */
final class RecordingEmbeddingProvider implements EmbeddingProvider {

    private final EmbeddingProvider delegate;
    private final long delayMillis;
    private final Path log;
    private final long stallAfterInputs;
    private final java.util.concurrent.atomic.AtomicLong embedded = new java.util.concurrent.atomic.AtomicLong();

    RecordingEmbeddingProvider(EmbeddingProvider delegate, long delayMillis, Path log) {
        this(delegate, delayMillis, log, -1);
    }

    /**
     * @param stallAfterInputs once this many inputs were embedded, every further request hangs until the
     *     process is killed (a node that can never finish on its own); -1 never hangs
     */
    RecordingEmbeddingProvider(EmbeddingProvider delegate, long delayMillis, Path log, long stallAfterInputs) {
        this.delegate = delegate;
        this.delayMillis = delayMillis;
        this.log = log;
        this.stallAfterInputs = stallAfterInputs;
    }

    @Override
    public EmbeddingModel model() {
        return delegate.model();
    }

    @Override
    public EmbeddingResult embed(List<String> inputs) {
        if (stallAfterInputs >= 0 && embedded.get() >= stallAfterInputs) {
            try {
                new java.util.concurrent.CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while stalled");
            }
        }
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while embedding");
            }
        }
        EmbeddingResult result = delegate.embed(inputs);
        embedded.addAndGet(inputs.size());
        StringBuilder lines = new StringBuilder();
        inputs.forEach(text -> lines.append(sha256(text)).append('\n'));
        try {
            Files.writeString(log, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + log, e);
        }
        return result;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
