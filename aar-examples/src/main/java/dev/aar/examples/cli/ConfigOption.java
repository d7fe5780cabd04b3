package dev.aar.examples.cli;

import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option shared by commands: an appsettings.json, plus the AAR_* environment overrides. */
final class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE", description = "appsettings.json with the spec's sections (default: built-in defaults)")
    Path file;

    AarConfig load() {
        ConfigLoader loader = ConfigLoader.fromSystemEnvironment();
        return file == null ? loader.fromEnvironmentOnly() : loader.load(file);
    }
}
