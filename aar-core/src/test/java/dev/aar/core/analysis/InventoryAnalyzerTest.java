package dev.aar.core.analysis;

import static dev.aar.core.analysis.Fixture.withRule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryAnalyzerTest {

    @TempDir
    Path dir;

    private Fixture polyglot() {
        return new Fixture(dir)
                .file("pom.xml", "<project><dependencies>",
                        "<dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId>"
                                + "<version>2.17.0</version></dependency>",
                        "<dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId>"
                                + "<scope>test</scope></dependency>",
                        "</dependencies><build><plugins><plugin><dependencies><dependency><groupId>x</groupId>"
                                + "<artifactId>plugin-only</artifactId></dependency></dependencies></plugin></plugins></build>",
                        "</project>")
                .file("web/package.json", "{\"name\":\"web\",\"dependencies\":{\"react\":\"^18.2.0\"},"
                        + "\"devDependencies\":{\"vite\":\"5.0.0\"}}")
                .file("svc/go.mod", "module example.com/svc", "go 1.22", "require github.com/google/uuid v1.6.0",
                        "require (", "  golang.org/x/net v0.20.0 // indirect", ")")
                .file("ml/requirements.txt", "# pinned", "numpy==1.26.0", "requests>=2.31  # http", "-r base.txt")
                .file("ml/pyproject.toml", "[project]", "name = \"ml\"", "dependencies = [", "  \"pandas>=2\",",
                        "  \"scikit-learn\",", "]", "[tool.poetry.dependencies]", "python = \"^3.11\"", "httpx = \"^0.27\"")
                .file("rs/Cargo.toml", "[package]", "name = \"rs\"", "[dependencies]", "serde = \"1.0\"",
                        "tokio = { version = \"1.36\", features = [\"full\"] }", "[dependencies.clap]", "version = \"4\"")
                .file("net/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup>",
                        "<PackageReference Include=\"Serilog\" Version=\"3.1.1\" />",
                        "<ProjectReference Include=\"..\\Core\\Core.csproj\" />", "</ItemGroup></Project>")
                .file("app/build.gradle.kts", "dependencies {", "  implementation(\"com.google.guava:guava:33.0.0-jre\")",
                        "  testImplementation(libs.junit)", "}")
                .file("src/main/java/a/App.java", "class App {", "}", "")
                .file("src/test/java/a/AppTest.java", "class AppTest {", "  void t() {}", "}")
                .file("README.md", "# Title");
    }

    @Test
    void countsLanguagesAndTests() {
        Inventory inv = Inventory.of(polyglot().view());
        Map<String, Inventory.LanguageStats> langs = inv.languages().stream()
                .collect(Collectors.toMap(Inventory.LanguageStats::language, Function.identity()));
        assertThat(langs.get("Java").files()).isEqualTo(2);
        assertThat(langs.get("Java").lines()).isEqualTo(6);
        assertThat(langs.get("Markdown").lines()).isEqualTo(1);
        assertThat(inv.sourceFiles()).isEqualTo(1);
        assertThat(inv.testFiles()).isEqualTo(1);
        assertThat(inv.testToSourceRatio()).isEqualTo(1.0);
        assertThat(inv.totalFiles()).isEqualTo(11);
    }

    @Test
    void readsTheDependenciesOfEveryKindOfManifest() {
        Map<String, List<String>> deps = Inventory.of(polyglot().view()).manifests().stream()
                .collect(Collectors.toMap(Inventory.BuildManifest::kind, Inventory.BuildManifest::dependencies));
        assertThat(deps.get("Maven")).containsExactly("com.fasterxml.jackson.core:jackson-databind:2.17.0",
                "org.junit.jupiter:junit-jupiter (test)");
        assertThat(deps.get("npm")).containsExactly("react@^18.2.0", "vite@5.0.0 (devDependencies)");
        assertThat(deps.get("Go modules")).containsExactly("github.com/google/uuid@v1.6.0", "golang.org/x/net@v0.20.0");
        assertThat(deps.get("pip")).containsExactly("numpy==1.26.0", "requests>=2.31");
        assertThat(deps.get("pyproject")).containsExactly("pandas>=2", "scikit-learn", "httpx@^0.27");
        assertThat(deps.get("Cargo")).containsExactly("serde@1.0", "tokio@1.36", "clap@4");
        assertThat(deps.get("NuGet")).containsExactly("Serilog@3.1.1", "project:..\\Core\\Core.csproj");
        assertThat(deps.get("Gradle")).containsExactly("com.google.guava:guava:33.0.0-jre", "libs.junit");
    }

    @Test
    void refusesExternalEntitiesInUploadedXml() {
        Inventory inv = Inventory.of(new Fixture(dir).file("pom.xml", "<?xml version=\"1.0\"?>",
                "<!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>",
                "<project><dependencies><dependency><groupId>&x;</groupId><artifactId>a</artifactId></dependency>"
                        + "</dependencies></project>").view());
        assertThat(inv.manifests()).singleElement().satisfies(m -> {
            assertThat(m.dependencies()).isEmpty();
            assertThat(m.problem()).contains("could not be read").contains("DOCTYPE");
        });
    }

    @Test
    void reportsTheInventoryAsInfoFindings() {
        List<Finding> findings = polyglot().run(new InventoryAnalyzer());
        assertThat(withRule(findings, InventoryAnalyzer.MANIFEST_RULE)).hasSize(8)
                .allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.INFO));
        assertThat(withRule(findings, InventoryAnalyzer.LANGUAGES_RULE)).singleElement()
                .satisfies(f -> assertThat(f.description()).contains("11 files"));
        assertThat(withRule(findings, InventoryAnalyzer.TESTS_RULE)).singleElement()
                .satisfies(f -> assertThat(f.description()).contains("1.00 test lines per source line"));
    }

    @Test
    void flagsAProjectWithoutTests() {
        List<Finding> findings = new Fixture(dir).file("main.py", "print(1)").run(new InventoryAnalyzer());
        assertThat(withRule(findings, InventoryAnalyzer.NO_TESTS_RULE)).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.LOW));
    }
}
