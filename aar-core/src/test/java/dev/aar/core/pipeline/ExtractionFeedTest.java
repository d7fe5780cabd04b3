package dev.aar.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.aar.core.error.JobCancelledException;
import dev.aar.core.index.IndexCursor;
import dev.aar.core.index.Indexer;
import dev.aar.core.index.IndexingListener;
import dev.aar.core.index.IndexingResult;
import dev.aar.core.index.SourceFile;
import dev.aar.core.memory.InMemoryEmbeddingStore;
import dev.aar.core.worker.StubJob;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-off from a running extraction to the indexer: early files, the end, a failure, a stop. */
class ExtractionFeedTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path work;

    /** Embeds offline, one input per request, and tells the test about every input it is sent. */
    private static final class RecordingProvider implements EmbeddingProvider {
        final OfflineEmbeddingProvider offline = OfflineEmbeddingProvider.withDimensions(32);
        final List<String> inputs = new CopyOnWriteArrayList<>();
        final CountDownLatch first = new CountDownLatch(1);

        @Override
        public EmbeddingModel model() {
            return new EmbeddingModel("recording-32", 32, 8191, 1, 8191, 0);
        }

        @Override
        public EmbeddingResult embed(List<String> texts) {
            inputs.addAll(texts);
            first.countDown();
            return offline.embed(texts);
        }
    }

    private static Path write(Path root, String path, String text) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    @Test
    void theIndexerEmbedsTheFirstFileBeforeTheExtractionEndsAndReadsLaterOnesWhereverTheyAre() throws Exception {
        Path staging = work.resolve(".src.partial");
        Path target = work.resolve("src");
        ExtractionFeed feed = new ExtractionFeed();
        StubJob job = new StubJob();
        RecordingProvider provider = new RecordingProvider();
        InMemoryEmbeddingStore store = new InMemoryEmbeddingStore();
        Indexer indexer = Indexer.builder(provider, store).chunkingThreads(1)
                .embeddingProcessing(EmbeddingProcessing.builder().batchSize(1).maxConcurrency(1).build()).build();

        feed.written("src/a/A.java", write(staging, "src/a/A.java", "class A { int first; }\n"));
        // the indexer sends a batch once the next chunk does not fit it: a second file lets the first go
        feed.written("src/a/A2.java", write(staging, "src/a/A2.java", "class A2 { int second; }\n"));
        CompletableFuture<IndexingResult> run = CompletableFuture.supplyAsync(
                () -> indexer.index("p1", feed.texts(job, IndexCursor.START), IndexCursor.START, IndexingListener.NONE));

        // the first file's chunk goes out while the extraction has not finished
        assertThat(provider.first.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(provider.inputs).first().asString().contains("int first");
        assertThat(feed.isFinished()).isFalse();
        assertThat(run).isNotDone();

        // the last file is announced under the staging directory, which is renamed into place before the
        // indexer reads it: it finds it at the target
        Path late = write(staging, "src/b/B.java", "class B { int last; }\n");
        Files.move(staging, target);
        feed.written("src/b/B.java", late);
        feed.finish(target);

        IndexingResult result = run.get(30, TimeUnit.SECONDS);
        assertThat(result.cursor()).isEqualTo(new IndexCursor(3, "src/b/B.java"));
        assertThat(store.count("p1")).isEqualTo(3);
        // the senders may send the last two in either order
        assertThat(provider.inputs).hasSize(3).anySatisfy(input -> assertThat(input).contains("int last"));
    }

    @Test
    void aFailedExtractionNeverLooksLikeTheEndOfTheFiles() throws Exception {
        ExtractionFeed feed = new ExtractionFeed();
        StubJob job = new StubJob();
        feed.written("A.java", write(work.resolve("staging"), "A.java", "class A {}\n"));
        Iterator<SourceFile> files = feed.texts(job, IndexCursor.START).iterator();
        assertThat(files.next().text()).isEqualTo("class A {}\n");

        feed.fail();

        // not "no more files": Indexing must not complete on the files written before the failure
        assertThatThrownBy(files::hasNext).isInstanceOf(JobCancelledException.class).hasMessageContaining("Extracting failed");
    }

    @Test
    void aConsumerWaitingForTheNextFileLeavesWhenItsJobStops() {
        ExtractionFeed feed = new ExtractionFeed();
        StubJob job = new StubJob();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(
                () -> feed.texts(job, IndexCursor.START).iterator().hasNext());
        assertThat(waiting).isNotDone();

        job.stopped = true;

        await().atMost(WAIT).until(waiting::isDone);
        assertThat(waiting).isCompletedExceptionally();
        assertThatThrownBy(waiting::join).hasCauseInstanceOf(JobCancelledException.class);
    }

    @Test
    void aResumeGetsTheTextsItSkipsOnlyWhenTheIndexerIteratesAgain() throws Exception {
        Path root = work.resolve("done");
        List<String> paths = List.of("b.txt", "a.txt", "c.txt");
        for (String p : paths) {
            write(root, p, "text of " + p);
        }
        ExtractionFeed feed = ExtractionFeed.finished(root, paths);
        Iterable<SourceFile> texts = feed.texts(new StubJob(), new IndexCursor(2, "a.txt"));

        assertThat(texts(texts)).containsExactly("b.txt:", "a.txt:", "c.txt:text of c.txt");
        // a cursor that did not match: the indexer asks again and must get every text
        assertThat(texts(texts)).containsExactly("b.txt:text of b.txt", "a.txt:text of a.txt", "c.txt:text of c.txt");
    }

    private static List<String> texts(Iterable<SourceFile> files) {
        List<String> out = new ArrayList<>();
        files.forEach(f -> out.add(f.path() + ":" + f.text()));
        return out;
    }
}
