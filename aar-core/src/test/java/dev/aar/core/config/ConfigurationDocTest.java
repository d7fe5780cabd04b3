package dev.aar.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md says exactly what the code does: every key, its default and its range. */
class ConfigurationDocTest {

    private static final Path DOC = Path.of("../docs/configuration.md");
    private static final Pattern ROW = Pattern.compile("^\\| `(\\w+)\\.(\\w+)`.*$", Pattern.MULTILINE);
    private static final List<Class<?>> SECTIONS = List.of(ScaleLimits.class, EmbeddingProcessing.class,
            WorkerProcessing.class, StoragePolicy.class, ResumableUpload.class);

    @Test
    void everyNumericKeyIsDocumentedWithItsDefaultAndRange() throws Exception {
        String doc = Files.readString(DOC);
        List<String> checked = new ArrayList<>();
        for (Class<?> section : SECTIONS) {
            for (Field field : section.getDeclaredFields()) {
                if (field.getType() != Key.class || !Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Key key = (Key) field.get(null);
                Object defaultValue = section.getField("DEFAULT_" + field.getName().substring(2)).get(null);
                String row = row(doc, key.path());
                assertThat(row).as("row of %s", key.path())
                        .contains("| " + key.allowed())
                        .contains("| " + defaultValue);
                checked.add(key.path());
            }
        }
        assertThat(checked).hasSizeGreaterThan(20);
    }

    @Test
    void everyDocumentedKeyIsOneTheLoaderKnows() throws Exception {
        Matcher rows = ROW.matcher(Files.readString(DOC));
        int count = 0;
        while (rows.find()) {
            ConfigLoader loader = ConfigLoader.withEnvironment(Map.of());
            loader.parse("{ \"" + rows.group(1) + "\": { \"" + rows.group(2) + "\": null } }", "doc");
            assertThat(loader.warnings()).as("%s.%s", rows.group(1), rows.group(2)).isEmpty();
            count++;
        }
        assertThat(count).isGreaterThan(30);
    }

    @Test
    void theDocumentedEnvironmentVariablesAreTheOnesRead() throws Exception {
        String doc = Files.readString(DOC);
        Map<String, String> environment = Map.of(
                "AAR_MAX_CONCURRENT_JOBS", "11",
                "AAR_CHECKPOINT_INTERVAL", "12",
                "AAR_AUTO_APPROVAL_THRESHOLD", "13",
                "AAR_DATABASE_URL", "jdbc:sqlite:aar.db",
                "AZURE_OPENAI_ENDPOINT", "https://x.example/",
                "AZURE_OPENAI_KEY", "k1",
                "AZURE_STORAGE_CONNECTION_STRING", "k2",
                "OPENAI_API_KEY", "k3",
                "OPENAI_BASE_URL", "https://y.example/",
                "AAR_STORAGE_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
        AarConfig config = ConfigLoader.withEnvironment(environment).fromEnvironmentOnly();

        assertThat(config.workerProcessing().maxConcurrentJobs()).isEqualTo(11);
        assertThat(config.workerProcessing().checkpointIntervalFiles()).isEqualTo(12);
        assertThat(config.scaleLimits().autoApprovalThresholdFiles()).isEqualTo(13);
        assertThat(config.connections().databaseUrl()).isEqualTo("jdbc:sqlite:aar.db");
        assertThat(config.storagePolicy().encryptionKey()).isNotNull();
        for (String variable : environment.keySet()) {
            assertThat(doc).contains("| `" + variable + "` |");
        }
    }

    private static String row(String doc, String path) {
        Matcher m = Pattern.compile("^\\| `" + Pattern.quote(path) + "`.*$", Pattern.MULTILINE).matcher(doc);
        assertThat(m.find()).as("docs/configuration.md has a row for %s", path).isTrue();
        return m.group();
    }
}
