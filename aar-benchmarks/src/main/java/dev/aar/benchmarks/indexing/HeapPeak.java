package dev.aar.benchmarks.indexing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Samples used heap every few milliseconds on a daemon thread and keeps the highest value seen. */
final class HeapPeak implements AutoCloseable {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread sampler;
    private volatile long peak;
    private volatile boolean running = true;

    private HeapPeak() {
        sampler = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-peak");
        sampler.setDaemon(true);
    }

    /** Collects garbage first, so the peak counts what the measured code keeps and makes, not earlier leftovers. */
    static HeapPeak start() {
        System.gc();
        System.gc();
        HeapPeak p = new HeapPeak();
        p.sample();
        p.sampler.start();
        return p;
    }

    private void sample() {
        long used = memory.getHeapMemoryUsage().getUsed();
        if (used > peak) {
            peak = used;
        }
    }

    /** Returns the peak used heap in MB. */
    double peakMegabytes() {
        sample();
        return peak / 1e6;
    }

    /** Collects garbage and returns the used heap in MB: what the caller still holds (its store). */
    static double retainedMegabytes() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join();
    }
}
