package dev.aar.core.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.analysis.DirectoryProjectView;
import dev.aar.core.analysis.SourceFile;
import dev.aar.core.error.NotFoundException;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.event.Phase;
import dev.aar.core.extract.Cancellation;
import dev.aar.core.extract.ExtractionListener;
import dev.aar.core.extract.ExtractionOptions;
import dev.aar.core.extract.ExtractionProgress;
import dev.aar.core.extract.ExtractionResult;
import dev.aar.core.extract.StreamingZipExtractor;
import dev.aar.core.internal.AtomicFiles;
import dev.aar.core.internal.FileTrees;
import dev.aar.core.internal.OwnerOnly;
import dev.aar.core.project.Project;
import dev.aar.core.resilience.ResilientBlobStore;
import dev.aar.core.storage.PolicyBlobStore;
import dev.aar.core.worker.JobContext;
import dev.aar.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's local working directory: the project's archive extracted under {@code <root>/<jobId>/src}.
 *
 * <p>Extraction is repeatable and never checkpointed mid-way, so any phase can ask for the sources:
 * when a job resumes on another node (or after the directory was cleaned), they are extracted again
 * from the stored archive before the phase continues from its own checkpoint. Phases of one job run
 * together, so a job's extraction runs once at a time: a second caller waits for the first. The order
 * in which extraction wrote the files is kept beside them ({@code files.json}), so Indexing resumes
 * over the same sequence it was fed while the extraction ran.
 */
final class Workspace {

    private static final Logger LOG = LoggerFactory.getLogger(Workspace.class);
    private static final String DONE_MARKER = "extracted.json";
    private static final String ORDER = "files.json";
    private static final ExtractionOptions SEQUENTIAL = ExtractionOptions.builder().workers(1).build();
    private static final TypeReference<List<String>> PATHS = new TypeReference<>() { };
    private static final Set<StandardOpenOption> WRITE_NEW = Set.of(StandardOpenOption.WRITE,
            StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);

    private final Path root;
    private final BlobStore blobs;
    private final ScaleLimits limits;
    private final ObjectMapper json;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    Workspace(Path root, BlobStore blobs, ScaleLimits limits, ObjectMapper json) {
        this.root = root;
        this.blobs = blobs;
        this.limits = limits;
        this.json = json;
    }

    /** What extraction produced, as kept beside the sources. */
    record Extracted(Path sources, long files, long bytes, long skipped, Map<String, Long> skipCounts) {
    }

    /** Returns the extracted sources of {@code project} for this job, extracting them first if needed. */
    Extracted sources(JobContext job, Project project) {
        return sources(job, project, null);
    }

    /**
     * Like {@link #sources(JobContext, Project)}, handing every file to {@code feed} (when not null) as
     * soon as it is written, or all at once when the sources were extracted before; finishes the feed
     * once they are in place.
     */
    Extracted sources(JobContext job, Project project, ExtractionFeed feed) {
        String key = safe(job.jobId());
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            Extracted extracted = extractOnce(job, project, feed);
            if (feed != null) {
                feed.finish(extracted.sources());
            }
            return extracted;
        }
    }

    /**
     * Returns the paths of the extracted sources in the order extraction wrote them; sources extracted by
     * a version that did not keep the order are listed sorted by path, as a project view lists them.
     */
    List<String> order(JobContext job, Extracted extracted) {
        Path file = root.resolve(safe(job.jobId())).resolve(ORDER);
        try {
            if (Files.isRegularFile(file)) {
                return json.readValue(file.toFile(), PATHS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file order of job " + job.jobId() + ": " + e.getMessage(), e);
        }
        return DirectoryProjectView.builder("order", extracted.sources()).limits(limits).build().files().stream()
                .map(SourceFile::path).toList();
    }

    private Extracted extractOnce(JobContext job, Project project, ExtractionFeed feed) {
        Path dir = root.resolve(safe(job.jobId()));
        Path marker = dir.resolve(DONE_MARKER);
        try {
            Extracted done = readMarker(job, marker);
            if (done != null) {
                if (feed != null) {
                    order(job, done).forEach(p -> feed.written(p, done.sources().resolve(p)));
                }
                return done;
            }
            FileTrees.delete(dir);
            // the sources are a customer's code in plain text: owner-only, like the rest of the data directory
            OwnerOnly.createDirectories(root);
            OwnerOnly.restrict(root); // a work directory made by an older version was 0755
            OwnerOnly.createDirectory(dir);
            Path archive = dir.resolve("archive.zip");
            // a blob that can be read by seeking (stored as is, or encrypted without compression) is walked
            // where it is stored; any other is copied to a file first
            Optional<SeekableByteChannel> channel = seekable(blobs, project.archiveKey());
            if (channel.isEmpty()) {
                try (InputStream in = blobs.get(project.archiveKey())
                        .orElseThrow(() -> new NotFoundException("archive", project.archiveKey()));
                     OutputStream out = OwnerOnly.newOutputStream(archive, WRITE_NEW)) {
                    in.transferTo(out);
                }
            }
            Cancellation cancellation = new Cancellation();
            List<String> written = new ArrayList<>();
            // one worker: files are written (and handed to Indexing) in the archive's order, the same on every
            // node and attempt, so an Indexing cursor saved on one node matches the sequence another node is fed.
            // Several workers write in whatever order they finish; extraction is off the critical path now
            // that Indexing runs beside it, and the cores are Indexing's
            StreamingZipExtractor extractor = new StreamingZipExtractor(limits, SEQUENTIAL);
            ExtractionListener listener = new ExtractionListener() {
                @Override
                public void onProgress(ExtractionProgress p) {
                    if (job.isCancelled()) {
                        cancellation.cancel();
                    }
                    job.progress(Phase.EXTRACTING, (int) Math.min(Integer.MAX_VALUE, p.entriesDone()),
                            (int) Math.min(Integer.MAX_VALUE, Math.max(p.totalEntries(), p.entriesDone())),
                            p.currentEntry());
                }

                @Override
                public void onFileWritten(String path, Path location) {
                    written.add(path);
                    if (feed != null) {
                        feed.written(path, location);
                    }
                }
            };
            ExtractionResult result;
            if (channel.isPresent()) {
                try (SeekableByteChannel ch = channel.get()) {
                    result = extractor.extract(ch, dir.resolve("src"), listener, cancellation);
                }
            } else {
                result = extractor.extract(archive, dir.resolve("src"), listener, cancellation);
            }
            Files.deleteIfExists(archive);
            Map<String, Long> skips = new java.util.TreeMap<>();
            result.skipCounts().forEach((reason, n) -> skips.put(reason.name(), n));
            Extracted extracted = new Extracted(result.target(), result.filesWritten(), result.bytesWritten(),
                    result.skippedCount(), skips);
            // each file appears whole or not at all (a process killed while writing leaves none), and the
            // marker last: sources with a marker are complete, their order included
            AtomicFiles.write(dir.resolve(ORDER), out -> json.writeValue(out, written));
            AtomicFiles.write(marker, out -> json.writeValue(out, extracted));
            return extracted;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the workspace of job " + job.jobId() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns what the marker records, or null if there is none or it cannot be read: a marker that an
     * older version left half-written when its process was killed means extracting again, not failing
     * every later attempt of the job.
     */
    private Extracted readMarker(JobContext job, Path marker) throws IOException {
        if (!Files.isRegularFile(marker)) {
            return null;
        }
        try {
            return json.readValue(marker.toFile(), Extracted.class);
        } catch (JsonProcessingException e) {
            LOG.warn("job {}: the extraction marker is unreadable ({}); extracting the sources again", job.jobId(),
                    e.getOriginalMessage());
            return null;
        }
    }

    /**
     * Opens the blob for seeking where that needs no copy: through the policy layer when there is one (empty
     * for a compressed blob), else over the store's ranged reads.
     */
    static Optional<SeekableByteChannel> seekable(BlobStore blobs, String key) {
        for (BlobStore s = blobs; ; ) {
            if (s instanceof PolicyBlobStore p) {
                return p.openChannel(key);
            } else if (s instanceof ResilientBlobStore r) {
                s = r.delegate();
            } else {
                return PolicyBlobStore.openStoredChannel(blobs, key);
            }
        }
    }

    /** Deletes this job's directory. */
    void delete(String jobId) {
        locks.remove(safe(jobId));
        try {
            FileTrees.delete(root.resolve(safe(jobId)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the workspace of job " + jobId, e);
        }
    }

    /**
     * Deletes the directory of every job {@code keep} does not accept (by directory name, which is
     * the job id for ids made of letters, digits, '.', '_' and '-'); returns how many it deleted.
     * A directory that cannot be deleted is left for the next sweep.
     */
    int sweep(Predicate<String> keep) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> jobs;
        try (Stream<Path> children = Files.list(root)) {
            jobs = children.filter(Files::isDirectory).toList();
        }
        int deleted = 0;
        for (Path dir : jobs) {
            if (keep.test(dir.getFileName().toString())) {
                continue;
            }
            try {
                FileTrees.delete(dir);
                deleted++;
            } catch (IOException e) {
                LOG.warn("cannot delete the stale workspace {}: {}", dir, e.toString());
            }
        }
        return deleted;
    }

    private static String safe(String jobId) {
        // job ids come from the queue backend; keep them one harmless path segment whatever they are
        return jobId.replaceAll("[^A-Za-z0-9._-]", "_");
    }

}
