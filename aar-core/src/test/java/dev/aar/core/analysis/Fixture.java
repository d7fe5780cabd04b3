package dev.aar.core.analysis;

import dev.aar.core.event.Finding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a small project into a directory and runs analyzers over it. */
final class Fixture {

    private final Path root;

    Fixture(Path root) {
        this.root = root;
    }

    Fixture file(String path, String... lines) {
        try {
            Path p = root.resolve(path);
            Files.createDirectories(p.getParent());
            Files.writeString(p, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    ProjectView view() {
        return DirectoryProjectView.builder("p1", root).build();
    }

    List<Finding> run(Analyzer analyzer) {
        List<Finding> findings = new ArrayList<>();
        analyzer.analyze(view(), findings::add);
        return findings;
    }

    static List<Finding> withRule(List<Finding> findings, String rule) {
        return findings.stream().filter(f -> f.rule().equals(rule)).toList();
    }
}
