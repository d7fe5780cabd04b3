package dev.aar.core.event;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One listener's buffer and the loop that feeds it; see {@link EventDispatcher} for the rules. */
final class ListenerChannel implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ListenerChannel.class);

    private final ProgressListener listener;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    /**
     * The waiting progress slot of each job, if nothing else of that job was queued after it; only
     * then may a newer update overwrite it without reordering the job's events.
     */
    private final Map<String, Slot> pendingProgress = new HashMap<>();
    private boolean delivering;
    private boolean closed;
    private boolean overCapacityLogged;
    private long dropped;

    ListenerChannel(ProgressListener listener, int capacity) {
        this.listener = listener;
        this.capacity = capacity;
    }

    void offer(ProgressEvent event) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            String job = event.jobId();
            if (event instanceof ProgressUpdate) {
                Slot pending = pendingProgress.get(job);
                // only an update of the same phase replaces a waiting one: the last update of every
                // phase is delivered, so a lagging listener still sees each phase reach its end
                if (pending != null && ((ProgressUpdate) pending.event).phase() == ((ProgressUpdate) event).phase()) {
                    pending.event = event;
                    return;
                }
                if (slots.size() >= capacity) {
                    dropped++;
                    return;
                }
                Slot s = new Slot(event);
                slots.addLast(s);
                pendingProgress.put(job, s);
            } else {
                pendingProgress.remove(job);
                slots.addLast(new Slot(event));
                if (slots.size() > capacity && !overCapacityLogged) {
                    overCapacityLogged = true;
                    log.warn("listener {} is {} events behind (capacity {}); progress updates are dropped "
                            + "until it catches up, other events are kept", listener, slots.size(), capacity);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        while (true) {
            ProgressEvent event;
            lock.lock();
            try {
                while (slots.isEmpty() && !closed) {
                    changed.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                Slot s = slots.pollFirst();
                event = s.event;
                pendingProgress.remove(event.jobId(), s);
                if (slots.size() < capacity) {
                    overCapacityLogged = false;
                }
                delivering = true;
            } finally {
                lock.unlock();
            }
            try {
                listener.onEvent(event);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                log.warn("listener {} threw on {} of job {}; the event is skipped for this listener only",
                        listener, event.eventName(), event.jobId(), e);
            } finally {
                lock.lock();
                try {
                    delivering = false;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && (!slots.isEmpty() || delivering)) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A buffered event; a progress slot's event may be replaced by a newer update of its job. */
    private static final class Slot {
        ProgressEvent event;

        Slot(ProgressEvent event) {
            this.event = event;
        }
    }
}
