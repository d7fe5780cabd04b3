package dev.aar.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A real codebase for tests: a JDK's {@code lib/src.zip} (Temurin 25's where installed, else the running JDK's). */
public final class JdkSources {

    private JdkSources() {
    }

    /** Returns the first {@code src.zip} found, or null when this machine has none (the JDK's source package is optional). */
    public static Path zip() {
        return Stream.of(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/lib/src.zip"),
                        Path.of(System.getProperty("java.home"), "lib", "src.zip"))
                .filter(Files::isRegularFile).findFirst().orElse(null);
    }
}
