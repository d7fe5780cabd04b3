package dev.aar.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aar.core.extract.ExtractionListener;
import dev.aar.core.extract.ExtractionResult;
import dev.aar.core.extract.SkippedEntry;
import dev.aar.core.extract.StreamingZipExtractor;
import dev.aar.core.extract.Cancellation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code aar extract FILE DIR [--json]}: safe extraction; prints the counts and every skipped entry with its reason. */
@Command(name = "extract", mixinStandardHelpOptions = true,
        description = "Extracts the indexable files of an archive into DIR (absent or empty), refusing hostile archives.")
final class ExtractCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the archive: .zip, .tar, .tar.gz/.tgz or .tar.xz (told apart by its content)")
    Path file;

    @Parameters(index = "1", paramLabel = "DIR", description = "target directory; must not exist or be empty")
    Path dir;

    @Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            spec.commandLine().getErr().println("aar: no such file: " + file);
            return AarCli.EXIT_REFUSED;
        }
        PrintWriter out = spec.commandLine().getOut();
        // skips are printed as they happen, so every one is shown however many there are
        ExtractionListener listener = json ? ExtractionListener.NONE : new ExtractionListener() {
            @Override
            public void onSkip(SkippedEntry s) {
                out.printf("skipped %s: %s (%s)%n", s.path(), s.reason().code(), s.detail());
            }
        };
        ExtractionResult r;
        try {
            r = new StreamingZipExtractor(config.load().scaleLimits()).extract(file, dir, listener, Cancellation.NEVER);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("aar: " + e.getMessage());
            return AarCli.EXIT_REFUSED;
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", r.target().toString());
            m.put("entries", r.entries());
            m.put("filesWritten", r.filesWritten());
            m.put("bytesWritten", r.bytesWritten());
            m.put("skippedCount", r.skippedCount());
            m.put("skipCounts", r.skipCounts());
            m.put("skipped", r.skipped());
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            out.printf(Locale.ROOT, "extracted %,d files (%,d bytes) of %,d entries into %s; skipped %,d%n",
                    r.filesWritten(), r.bytesWritten(), r.entries(), r.target(), r.skippedCount());
        }
        out.flush();
        return 0;
    }
}
