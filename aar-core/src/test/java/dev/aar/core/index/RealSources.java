package dev.aar.core.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Real source files for chunking tests: a sample of the JDK's src.zip when present, and this repository's own sources. */
final class RealSources {

    private static List<SourceFile> cached;

    private RealSources() {
    }

    static synchronized List<SourceFile> sample() {
        if (cached == null) {
            List<SourceFile> files = new ArrayList<>(jdk(150));
            files.addAll(repository());
            cached = List.copyOf(files);
        }
        return cached;
    }

    /** Every n-th .java file of the running JDK's src.zip, up to {@code max}; none if the JDK ships no sources. */
    static List<SourceFile> jdk(int max) {
        Path zip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        if (!Files.isRegularFile(zip)) {
            return List.of();
        }
        List<SourceFile> files = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<? extends ZipEntry> entries = z.stream().filter(e -> e.getName().endsWith(".java")).toList();
            int step = Math.max(1, entries.size() / max);
            for (int i = 0; i < entries.size() && files.size() < max; i += step) {
                ZipEntry e = entries.get(i);
                files.add(new SourceFile(e.getName(), new String(z.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The .java files of aar-core's main sources. */
    static List<SourceFile> repository() {
        Path root = Path.of("src/main/java");
        try (Stream<Path> paths = Files.walk(root)) {
            List<SourceFile> files = new ArrayList<>();
            for (Path p : paths.filter(p -> p.toString().endsWith(".java")).sorted(Comparator.naturalOrder()).toList()) {
                files.add(new SourceFile(root.relativize(p).toString().replace('\\', '/'), Files.readString(p)));
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
