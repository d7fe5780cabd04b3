package dev.aar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Embed it" snippet, compiled as written (plus its imports) and run in its own JVM in a
 * directory holding {@code appsettings.json} and a {@code shop.zip} of a few thousand files.
 */
class ReadmeSnippetTest {

    private static final String IMPORTS = """
            import dev.aar.core.Aar;
            import dev.aar.core.config.AarConfig;
            import dev.aar.core.config.ConfigLoader;
            import dev.aar.core.event.JobCompleted;
            import dev.aar.core.preflight.Approval;
            import dev.aar.core.preflight.PreflightResult;
            import dev.aar.core.preflight.TokenMode;
            import dev.aar.core.project.Project;
            import dev.aar.queue.JobPriority;
            import java.io.InputStream;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.TimeUnit;
            """;

    @TempDir
    Path dir;

    @Test
    void theEmbedItSnippetRunsAsWrittenOnACodebaseOverTheApprovalThresholds() throws Exception {
        String snippet = snippet(Files.readString(readme(), StandardCharsets.UTF_8));
        Path src = dir.resolve("src/ReadmeSnippet.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, IMPORTS + "\npublic class ReadmeSnippet {\n    public static void main(String[] args)"
                + " throws Exception {\n" + snippet + "\n    }\n}\n");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int compiled = javac.run(null, null, null, "-d", classes.toString(), "-cp", classpath, src.toString());
        assertThat(compiled).as("the snippet compiles").isZero();

        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("appsettings.json"), "{}");
        GeneratedCodebase.write(work.resolve("shop.zip"), GeneratedCodebase.FEW_THOUSAND);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classes + File.pathSeparator + classpath, "ReadmeSnippet"));
        Path output = dir.resolve("output.txt");
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        boolean ended = process.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        String printed = Files.readString(output);
        assertThat(ended).as(printed).isTrue();
        assertThat(process.exitValue()).as(printed).isZero();
        assertThat(printed).containsPattern("(?m)^report \\S+$");
        assertThat(work.resolve("aar-data/storage.key")).exists();
    }

    private static Path readme() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("aar-core"))) {
                return p.resolve("README.md");
            }
        }
        throw new IllegalStateException("README.md of the repository not found above " + Path.of("").toAbsolutePath());
    }

    private static String snippet(String readme) {
        Matcher m = Pattern.compile("## Embed it\\s+```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("README has a java block under \"## Embed it\"").isTrue();
        return m.group(1);
    }
}
