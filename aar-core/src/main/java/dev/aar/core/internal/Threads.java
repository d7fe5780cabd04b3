package dev.aar.core.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for the SDK's background threads. They are all daemon threads: a host's JVM
 * exits when the host is done, whatever the SDK still has scheduled (work is checkpointed, leases
 * lapse, leftovers are cleaned at the next start).
 */
public final class Threads {

    private Threads() {
    }

    /** Daemon threads all called {@code name} (for single-thread executors). */
    public static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Daemon threads called {@code prefix} followed by 1, 2, 3, … */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
