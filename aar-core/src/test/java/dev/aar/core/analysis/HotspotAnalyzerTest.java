package dev.aar.core.analysis;

import static dev.aar.core.analysis.Fixture.withRule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotspotAnalyzerTest {

    @TempDir
    Path dir;

    private final AnalysisConfig config = AnalysisConfig.builder().maxFileLines(60).maxClassLines(40)
            .maxFunctionLines(12).maxNestingDepth(3).build();
    private final HotspotAnalyzer analyzer = new HotspotAnalyzer(config);

    private static String[] lines(String... parts) {
        return parts;
    }

    private static List<String> statements(int n, String indent) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(indent + "total += " + i + ";");
        }
        return out;
    }

    @Test
    void findsLongJavaMethodsLargeClassesAndDeepNesting() {
        List<String> src = new ArrayList<>(List.of("package a;", "", "public class Big {",
                "    @Override", "    public String toString() { return \"{ not a block }\"; }",
                "    public int longOne(int x) throws Exception {"));
        src.addAll(statements(12, "        "));
        src.addAll(List.of("        return x;", "    }",
                "    void nested(List<String> items) {",
                "        for (String s : items) {",
                "            if (s != null) {",
                "                while (true) {",
                "                    try {",
                "                        System.out.println('}');",
                "                    } finally { }",
                "                }",
                "            }",
                "        }",
                "    }"));
        src.addAll(statements(20, "    int f"));
        src.add("}");
        List<Finding> findings = new Fixture(dir).file("src/a/Big.java", src.toArray(String[]::new)).run(analyzer);

        assertThat(withRule(findings, HotspotAnalyzer.FUNCTION_RULE)).singleElement().satisfies(f -> {
            assertThat(f.description()).contains("longOne").contains("15 lines");
            assertThat(f.line()).isEqualTo(6);
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        });
        assertThat(withRule(findings, HotspotAnalyzer.NESTING_RULE)).singleElement().satisfies(f -> {
            assertThat(f.description()).contains("nested").contains("4 deep");
            assertThat(f.evidence()).isEqualTo("deepest block at line " + 25);
        });
        assertThat(withRule(findings, HotspotAnalyzer.CLASS_RULE)).singleElement()
                .satisfies(f -> assertThat(f.description()).contains("Class Big"));
        assertThat(withRule(findings, HotspotAnalyzer.FILE_RULE)).isEmpty();
    }

    @Test
    void leavesSmallWellShapedCodeAlone() {
        List<Finding> findings = new Fixture(dir)
                .file("src/Small.java", "class Small {", "  int a() { if (x) { return 1; } return 2; }",
                        "  String s = \"}}}}{{{{\"; // }", "  /* { { { */", "}")
                .file("web/app.ts", "export const add = (a: number, b: number): number => {", "  return a + b;", "};",
                        "function greet(name: string) {", "  return `hi ${name} {`;", "}")
                .file("tool.py", "def short():", "    return 1", "", "class K:", "    def m(self):", "        pass")
                .run(analyzer);
        assertThat(findings).isEmpty();
    }

    @Test
    void findsLargeFilesAndRatesThemBySize() {
        List<String> lines = statements(200, "");
        List<Finding> findings = new Fixture(dir)
                .file("gen/Huge.go", lines.toArray(String[]::new))
                .file("data/big.json", statements(200, "").toArray(String[]::new))
                .run(analyzer);
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(HotspotAnalyzer.FILE_RULE);
            assertThat(f.file()).isEqualTo("gen/Huge.go");
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
        });
    }

    @Test
    void findsLongAndDeeplyNestedPythonFunctions() {
        List<String> src = new ArrayList<>(List.of("import os", "", "class Service:", "    \"\"\"Docs: def fake():", "    more\"\"\"", "",
                "    def run(self, items):"));
        for (int i = 0; i < 12; i++) {
            src.add("        x = " + i);
        }
        src.addAll(List.of("        for i in items:", "            if i:", "                while i:",
                "                    with open(i) as f:", "                        print(f,", "    'continued')",
                "", "def other():", "    return 1"));
        List<Finding> findings = new Fixture(dir).file("svc.py", src.toArray(String[]::new)).run(analyzer);

        assertThat(withRule(findings, HotspotAnalyzer.FUNCTION_RULE)).singleElement()
                .satisfies(f -> assertThat(f.description()).contains("run").contains("18 lines"));
        assertThat(withRule(findings, HotspotAnalyzer.NESTING_RULE)).singleElement()
                .satisfies(f -> assertThat(f.evidence()).isEqualTo("deepest block at line 24"));
        assertThat(withRule(findings, HotspotAnalyzer.CLASS_RULE)).isEmpty();
    }

    @Test
    void namesGoRustAndArrowFunctions() {
        List<String> body = statements(12, "  ");
        List<String> go = new ArrayList<>(List.of("package main", "func (s *Server) Handle(w http.ResponseWriter) error {"));
        go.addAll(body);
        go.add("}");
        List<String> rust = new ArrayList<>(List.of("fn parse<'a>(input: &'a str) -> Result<Vec<u8>, String> {"));
        rust.addAll(body);
        rust.add("}");
        List<String> js = new ArrayList<>(List.of("export const load = async (id) => {"));
        js.addAll(body);
        js.add("};");
        List<Finding> findings = new Fixture(dir).file("a.go", go.toArray(String[]::new))
                .file("b.rs", rust.toArray(String[]::new)).file("c.js", js.toArray(String[]::new)).run(analyzer);
        assertThat(withRule(findings, HotspotAnalyzer.FUNCTION_RULE)).extracting(Finding::description)
                .anySatisfy(d -> assertThat(d).startsWith("Function Handle "))
                .anySatisfy(d -> assertThat(d).startsWith("Function parse "))
                .anySatisfy(d -> assertThat(d).startsWith("Function load "))
                .hasSize(3);
    }
}
