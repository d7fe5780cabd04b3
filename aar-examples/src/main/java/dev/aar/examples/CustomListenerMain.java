package dev.aar.examples;

import dev.aar.core.Aar;
import dev.aar.core.event.FindingUpdate;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.event.ProgressListener;
import dev.aar.core.event.ProgressUpdate;
import dev.aar.core.preflight.Approval;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.TokenMode;
import dev.aar.core.project.Project;
import dev.aar.queue.JobPriority;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Embedding example: a host application's own {@link ProgressListener} printing a job's events
 * while the SDK, with its embedded defaults, analyses a zip; the host inspects the preflight and
 * approves a codebase over the auto-approval thresholds itself.
 *
 * <pre>java -cp aar.jar dev.aar.examples.CustomListenerMain project.zip</pre>
 */
public final class CustomListenerMain {

    private CustomListenerMain() {
    }

    /** Prints progress, findings and the outcome; a listener is called off the worker threads, in order per job. */
    static final class PrintingListener implements ProgressListener {
        private final CompletableFuture<JobCompleted> done = new CompletableFuture<>();

        @Override
        public void onEvent(ProgressEvent event) {
            if (event instanceof ProgressUpdate u) {
                System.out.printf(Locale.ROOT, "%-10s %5.1f%%  %d/%d files%n", u.phase().displayName(),
                        u.progressPercent(), u.processedFiles(), u.totalFiles());
            } else if (event instanceof FindingUpdate f) {
                System.out.println("finding: " + f.finding().severity() + " " + f.finding().rule() + " — "
                        + f.finding().description() + " (" + f.finding().file() + ")");
            } else if (event instanceof JobCompleted c) {
                System.out.println(c.isSuccess() ? "done: report " + c.reportId() : "failed: " + c.error());
                done.complete(c);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Path zip = Path.of(args.length > 0 ? args[0] : "project.zip");
        PrintingListener listener = new PrintingListener();
        try (Aar aar = Aar.builder().listener(listener).build()) {
            aar.startWorkers();
            Project project;
            try (InputStream in = Files.newInputStream(zip)) {
                project = aar.analysis().createProject("my-org", zip.getFileName().toString(), in);
            }
            // a codebase over the auto-approval thresholds (1,000 files or 500,000 tokens by default) needs
            // someone's go-ahead: here the host looks at the estimate and approves as itself, who and why recorded
            PreflightResult preflight = aar.analysis().preflight("my-org", project.id(), TokenMode.FAST);
            System.out.printf(Locale.ROOT, "preflight: %,d files, %,d tokens, $%.4f, ~%d min%s%n", preflight.fileCount(),
                    preflight.estimatedTokens(), preflight.estimatedCost(), preflight.estimatedProcessingTimeMinutes(),
                    preflight.requiresApproval() ? ", needs approval" : "");
            if (!preflight.isWithinLimits()) {
                throw new IllegalStateException("refused: " + preflight.rejectionReasons());
            }
            if (preflight.requiresApproval()) {
                aar.analysis().approve("my-org", project.id(),
                        Approval.of("CustomListenerMain", "example run: the estimate was printed above"));
            }
            aar.analysis().submit("my-org", project.id(), JobPriority.NORMAL);
            JobCompleted completed = listener.done.get(10, TimeUnit.MINUTES);
            if (!completed.isSuccess()) {
                throw new IllegalStateException("analysis failed: " + completed.error());
            }
        }
    }
}
