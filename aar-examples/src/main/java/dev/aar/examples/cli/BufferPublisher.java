package dev.aar.examples.cli;

import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request body of one buffer, handed to the HTTP client whole: unlike
 * {@code BodyPublishers.ofByteArray}, which copies the bytes into 16 KiB heap buffers that then take
 * one trip each through the client and one more copy into the socket, a direct buffer goes to the
 * socket as it is. Every subscription (a retry, a redirect) sends the buffer from its position again.
 */
final class BufferPublisher implements Flow.Publisher<ByteBuffer> {

    private final ByteBuffer body;

    BufferPublisher(ByteBuffer body) {
        this.body = body.asReadOnlyBuffer();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        ByteBuffer item = body.duplicate();
        AtomicBoolean done = new AtomicBoolean();
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (!done.compareAndSet(false, true)) {
                    return; // sent already, or cancelled
                }
                if (n <= 0) {
                    subscriber.onError(new IllegalArgumentException("demand must be positive, was " + n));
                    return;
                }
                subscriber.onNext(item);
                subscriber.onComplete();
            }

            @Override
            public void cancel() {
                done.set(true);
            }
        });
    }
}
