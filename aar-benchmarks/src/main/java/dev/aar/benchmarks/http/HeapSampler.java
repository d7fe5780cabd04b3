package dev.aar.benchmarks.http;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Samples this JVM's used heap every {@value #PERIOD_MS} ms on a daemon thread while a phase runs,
 * and brackets the phase with used-heap-after-a-full-GC readings.
 */
final class HeapSampler {

    static final long PERIOD_MS = 100;
    private static final long MIB = 1024 * 1024;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    /** What one phase did to the heap, in MiB. */
    record Heap(long beforeGcMib, long minMib, long maxMib, long afterGcMib, int samples) {
        @Override
        public String toString() {
            return beforeGcMib + " → " + minMib + "–" + maxMib + " → " + afterGcMib;
        }
    }

    /** A running phase; {@link #stop()} ends it. */
    final class Phase {
        private final long beforeGc;
        private final Thread thread;
        private volatile boolean running = true;
        private long min = Long.MAX_VALUE;
        private long max;
        private int samples;

        private Phase(long beforeGc) {
            this.beforeGc = beforeGc;
            thread = new Thread(this::loop, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (running) {
                sample();
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private synchronized void sample() {
            long used = memory.getHeapMemoryUsage().getUsed();
            min = Math.min(min, used);
            max = Math.max(max, used);
            samples++;
        }

        /** Stops sampling, collects garbage and returns the phase's heap figures. */
        Heap stop() throws InterruptedException {
            sample();
            running = false;
            thread.interrupt();
            thread.join();
            long afterGc = usedAfterGc();
            synchronized (this) {
                return new Heap(beforeGc / MIB, min / MIB, max / MIB, afterGc / MIB, samples);
            }
        }
    }

    /** Collects garbage, records the used heap, and starts sampling. */
    Phase start() {
        return new Phase(usedAfterGc());
    }

    private long usedAfterGc() {
        // two collections: the first may only promote or enqueue finalizable objects
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
