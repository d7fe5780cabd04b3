package dev.aar.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventDispatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private EventDispatcher dispatcher;

    @AfterEach
    void close() {
        if (dispatcher != null) {
            dispatcher.close();
        }
    }

    private static ProgressUpdate progress(String job, int done) {
        return new ProgressUpdate("p", job, Phase.INDEXING, done, done, 100, null);
    }

    private static FindingUpdate finding(String job, String rule) {
        return new FindingUpdate("p", job, new Finding(Severity.HIGH, rule, "d", null, null, null));
    }

    /** Collects events; optionally blocks on its first event until released. */
    private static final class Recorder implements ProgressListener {
        final List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch release;
        final CountDownLatch blocked = new CountDownLatch(1);

        Recorder(boolean blockFirst) {
            this.release = new CountDownLatch(blockFirst ? 1 : 0);
        }

        @Override
        public void onEvent(ProgressEvent event) {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            events.add(event);
        }
    }

    @Test
    void everyListenerGetsEveryEventInOrder() throws Exception {
        Recorder a = new Recorder(false);
        Recorder b = new Recorder(false);
        dispatcher = EventDispatcher.of(List.of(a, b));
        List<ProgressEvent> sent = List.of(new JobQueued("p", "j1", "High"), finding("j1", "r1"),
                new JobCompleted("p", "j1", true, "report-1", null));

        sent.forEach(dispatcher::publish);

        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(a.events).containsExactlyElementsOf(sent);
        assertThat(b.events).containsExactlyElementsOf(sent);
    }

    @Test
    void throwingListenerIsIsolated() throws Exception {
        List<ProgressEvent> seenByThrower = Collections.synchronizedList(new ArrayList<>());
        Recorder good = new Recorder(false);
        dispatcher = new EventDispatcher();
        dispatcher.subscribe(e -> {
            seenByThrower.add(e);
            throw new IllegalStateException("listener bug");
        });
        dispatcher.subscribe(good);

        dispatcher.publish(finding("j1", "r1"));
        dispatcher.publish(finding("j1", "r2"));

        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(good.events).hasSize(2);
        assertThat(seenByThrower).hasSize(2);
    }

    @Test
    void laggingListenerGetsCoalescedProgressButEveryFindingInOrder() throws Exception {
        Recorder slow = new Recorder(true);
        dispatcher = new EventDispatcher();
        dispatcher.subscribe(slow);
        dispatcher.publish(new JobQueued("p", "j1", "Low")); // the listener blocks on this one
        assertThat(slow.blocked.await(30, TimeUnit.SECONDS)).isTrue();

        for (int i = 1; i <= 1_000; i++) {
            dispatcher.publish(progress("j1", i));
            dispatcher.publish(progress("j2", i));
            if (i % 250 == 0) {
                dispatcher.publish(finding("j1", "rule-" + i));
            }
        }
        dispatcher.publish(new JobCompleted("p", "j1", true, "r", null));
        slow.release.countDown();

        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        List<ProgressEvent> got = List.copyOf(slow.events);
        assertThat(got).filteredOn(FindingUpdate.class::isInstance).extracting(e -> ((FindingUpdate) e).finding().rule())
                .containsExactly("rule-250", "rule-500", "rule-750", "rule-1000");
        assertThat(got).filteredOn(ProgressUpdate.class::isInstance).hasSizeLessThan(20);
        assertThat(got.get(got.size() - 1)).isInstanceOf(JobCompleted.class);
        // per job, progress never goes backwards and each finding comes after the progress published before it
        assertThat(jobOrder(got, "j1")).containsExactly("P250", "F250", "P500", "F500", "P750", "F750", "P1000",
                "F1000", "C");
        assertThat(got).filteredOn(e -> e instanceof ProgressUpdate u && u.jobId().equals("j2"))
                .extracting(e -> ((ProgressUpdate) e).processedFiles()).containsExactly(1000);
    }

    @Test
    void coalescingKeepsTheLastUpdateOfEveryPhase() throws Exception {
        Recorder slow = new Recorder(true);
        dispatcher = new EventDispatcher();
        dispatcher.subscribe(slow);
        dispatcher.publish(new JobQueued("p", "j1", "Low")); // the listener blocks on this one
        assertThat(slow.blocked.await(30, TimeUnit.SECONDS)).isTrue();

        for (Phase phase : Phase.values()) {
            for (int i = 1; i <= 50; i++) {
                dispatcher.publish(new ProgressUpdate("p", "j1", phase, i * 2.0, i, 50, null));
            }
        }
        slow.release.countDown();

        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(slow.events).filteredOn(ProgressUpdate.class::isInstance)
                .extracting(e -> ((ProgressUpdate) e).phase() + "@" + ((ProgressUpdate) e).processedFiles())
                .containsExactly("EXTRACTING@50", "INDEXING@50", "ANALYZING@50", "SAVING@50");
    }

    private static List<String> jobOrder(List<ProgressEvent> events, String job) {
        List<String> order = new ArrayList<>();
        for (ProgressEvent e : events) {
            if (!job.equals(e.jobId())) {
                continue;
            }
            if (e instanceof ProgressUpdate u) {
                order.add("P" + u.processedFiles());
            } else if (e instanceof FindingUpdate f) {
                order.add("F" + f.finding().rule().substring(5));
            } else if (e instanceof JobCompleted) {
                order.add("C");
            }
        }
        return order;
    }

    @Test
    void fullBufferDropsProgressButKeepsFindings() throws Exception {
        Recorder slow = new Recorder(true);
        dispatcher = new EventDispatcher(4);
        dispatcher.subscribe(slow);
        dispatcher.publish(new JobQueued("p", "j0", "Low"));
        assertThat(slow.blocked.await(30, TimeUnit.SECONDS)).isTrue();

        for (int job = 1; job <= 10; job++) {
            dispatcher.publish(progress("j" + job, 1));
        }
        for (int i = 0; i < 10; i++) {
            dispatcher.publish(finding("j1", "f" + i));
        }
        slow.release.countDown();

        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(slow.events).filteredOn(FindingUpdate.class::isInstance).hasSize(10);
        assertThat(slow.events).filteredOn(ProgressUpdate.class::isInstance).hasSize(4);
        assertThat(dispatcher.droppedProgressUpdates()).isEqualTo(6);
    }

    @Test
    void closedSubscriptionReceivesNothingMore() throws Exception {
        Recorder a = new Recorder(false);
        Recorder b = new Recorder(false);
        dispatcher = new EventDispatcher();
        EventDispatcher.Subscription sa = dispatcher.subscribe(a);
        dispatcher.subscribe(b);
        dispatcher.publish(finding("j", "one"));
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        sa.close();
        dispatcher.publish(finding("j", "two"));

        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(a.events).hasSize(1);
        assertThat(b.events).hasSize(2);
    }
}
