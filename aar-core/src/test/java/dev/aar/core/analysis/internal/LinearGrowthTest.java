package dev.aar.core.analysis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.analysis.AnalysisLimits;
import dev.aar.core.analysis.Language;
import dev.aar.core.analysis.ProjectView;
import dev.aar.core.analysis.SourceFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every scanner and parser of {@code analysis} does work linear in its input, whatever the input:
 * pathological texts (deep nesting, unclosed brackets, strings and comments, long lines, repeated
 * annotations, huge headers) are built at two sizes, and doubling the input may at most about
 * double the work ({@value #MAX_RATIO} times the growth of the input). Work is the scanners' own
 * step count ({@link Work}), not time, so no result depends on the machine or its load.
 */
class LinearGrowthTest {

    /** How much faster than the input the work may grow: 1.25 × (input doubles) = 2.5 × the work. */
    static final double MAX_RATIO = 1.25;
    /** A fixed seed: the same inputs on every run, so a result never depends on the draw. */
    static final String SEED = "20261207";
    /** Repetitions of the generated unit in the smaller input. */
    static final int K = 1200;

    /** How a pathological input is built from two fragments {@code a} and {@code b}. */
    enum Shape {
        /** {@code (ab)^k}: repeated annotations, long lines, many unclosed openers. */
        REPEAT,
        /** {@code a^k b^k}: deep nesting, a huge header, one opener and a long tail. */
        NEST,
        /** {@code a^k} on one line, then {@code b}: one enormous line. */
        PREFIX
    }

    static String build(Shape shape, String a, String b, int k) {
        return switch (shape) {
            case REPEAT -> (a + b).repeat(k);
            case NEST -> a.repeat(k) + b.repeat(k);
            case PREFIX -> a.replace("\n", " ").repeat(k) + b;
        };
    }

    /** Asserts that the cost of {@code input(2K)} over that of {@code input(K)} grows at most like the input. */
    static void assertLinear(IntFunction<String> input, ToLongFunction<String> cost) {
        String small = input.apply(K);
        String large = input.apply(2 * K);
        long smallCost = Math.max(1, cost.applyAsLong(small));
        long largeCost = cost.applyAsLong(large);
        double inputRatio = (double) Math.max(1, large.length()) / Math.max(1, small.length());
        assertThat((double) largeCost / smallCost)
                .as("work %d -> %d for input %d -> %d chars", smallCost, largeCost, small.length(), large.length())
                .isLessThanOrEqualTo(MAX_RATIO * Math.max(2.0, inputRatio));
    }

    static long steps(java.util.function.Consumer<Work> scan) {
        Work work = Work.unchecked();
        scan.accept(work);
        return work.steps();
    }

    // ---------------------------------------------------------------- generators

    private static final List<String> BRACE = List.of("@a(\n", "@b.c", "@A(x)", "(", ")", "{", "}", "\"", "'", "`",
            "\"\"\"", "\\", "\n", "/*", "*/", "//", ";", "=", " ", "fn (", "func (", "class X ", "x", "new ", "=>",
            "const f = ", "throws E", "<", ">", "[", "]", "\"\\", "'a", "if (", "function ", "@", ".");
    private static final List<String> PYTHON = List.of("def f(x):\n", "    ", "\t", "class C:\n", "(", ")", "[", "]",
            "{", "}", "\"\"\"", "'''", "#", "\n", "x = 1\n", "'", "\"", "async def g():\n", "\\", "  if x:\n", " ");
    private static final List<String> IMPORTS = List.of("import a.b.", "import static ", "package x.y;", "\n", " ",
            "\t", ".", "a", "*", ";", " as ", "class A {", "@x", "import('", "from \"", "require( '", "./", "../",
            "'", "\"", "from .", "from ..a import (", " import ", "a,", " as b", "using ", "namespace N.",
            "global using static ", "x = ", "(", ")");
    private static final List<String> MANIFEST = List.of("<dependency>", "</dependency>", "<groupId>g</groupId>",
            "<artifactId>a</artifactId>", "<PackageReference Include=\"a\" Version=\"1\"/>", "<project>",
            "<Project>", "implementation 'a:b:1'\n", "implementation(", "require (\n", "a v1\n", ")\n", "//", "#",
            " ", "\t", "\n", "[", "]", "dependencies = [", "\"x\",", "[dependencies]\n", "a = \"1\"\n", "{", "}",
            "\"", "'", "version = \"", "=", "[project]\n", "[tool.poetry.dependencies]\n", "\"a\": \"1\",",
            "\"dependencies\": {", "[target.x.dependencies]\n", "[dependencies.x]\n", "<!--", "-->", "<![CDATA[");
    private static final List<String> MANIFEST_NAMES = List.of("pom.xml", "build.gradle", "build.gradle.kts",
            "package.json", "app.csproj", "go.mod", "requirements.txt", "pyproject.toml", "Cargo.toml");

    private static Arbitrary<String> units(List<String> fragments, String alphabet) {
        Arbitrary<String> joined = Arbitraries.of(fragments).list().ofMinSize(1).ofMaxSize(4)
                .map(l -> String.join("", l));
        Arbitrary<String> random = Arbitraries.strings().withChars(alphabet).ofMinLength(1).ofMaxLength(6);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, joined), net.jqwik.api.Tuple.of(1, random));
    }

    @Provide
    Arbitrary<String> braceUnits() {
        return units(BRACE, "@(){}\"'`\\\n/*;= x<>[]#.");
    }

    @Provide
    Arbitrary<String> pythonUnits() {
        return units(PYTHON, "()[]{}\"'#\n\t :\\dfx");
    }

    @Provide
    Arbitrary<String> importUnits() {
        return units(IMPORTS, "./'\"(;*, \n\tax");
    }

    @Provide
    Arbitrary<String> manifestUnits() {
        return units(MANIFEST, "<>/=\"'[]{}#\n :,.x-!");
    }

    @Provide
    Arbitrary<String> manifestNames() {
        return Arbitraries.of(MANIFEST_NAMES);
    }

    @Provide
    Arbitrary<Language> importLanguages() {
        return Arbitraries.of(Language.JAVA, Language.KOTLIN, Language.CSHARP, Language.PYTHON, Language.JAVASCRIPT,
                Language.TYPESCRIPT);
    }

    // ---------------------------------------------------------------- properties

    @Property(tries = 100, seed = SEED)
    void braceBlockScannerIsLinear(@ForAll("braceUnits") String a, @ForAll("braceUnits") String b,
            @ForAll Shape shape) {
        assertLinear(k -> build(shape, a, b, k) + "{}", text -> steps(w -> BraceBlockScanner.scan(text, w)));
    }

    @Property(tries = 60, seed = SEED)
    void braceHeaderNormalisationIsLinear(@ForAll("braceUnits") String a, @ForAll("braceUnits") String b,
            @ForAll Shape shape) {
        // the header the annotation regex used to rescan: normalise it, counting every character it looks at
        assertLinear(k -> build(shape, a, b, k), text -> {
            CountingSequence counted = new CountingSequence(text);
            BraceBlockScanner.normalise(counted);
            return counted.reads;
        });
    }

    @Property(tries = 100, seed = SEED)
    void indentBlockScannerIsLinear(@ForAll("pythonUnits") String a, @ForAll("pythonUnits") String b,
            @ForAll Shape shape) {
        assertLinear(k -> build(shape, a, b, k), text -> steps(w -> IndentBlockScanner.scan(text, w)));
    }

    @Property(tries = 20, seed = SEED)
    void indentBlockScannerIsLinearOnAStaircaseOfNestedDefinitions(@ForAll("pythonUnits") String body) {
        // each def one level deeper than the last: the old scanner walked every body once per enclosing def
        assertLinear(k -> {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < k / 4; i++) {
                s.append(" ".repeat(i)).append("def f").append(i).append("():\n").append(" ".repeat(i + 1))
                        .append(body.replace("\n", " ")).append('\n');
            }
            return s.toString();
        }, text -> steps(w -> IndentBlockScanner.scan(text, w)));
    }

    @Property(tries = 100, seed = SEED)
    void importParserIsLinear(@ForAll("importUnits") String a, @ForAll("importUnits") String b, @ForAll Shape shape,
            @ForAll("importLanguages") Language language) {
        String path = "src/app/main." + switch (language) {
            case JAVA -> "java";
            case KOTLIN -> "kt";
            case CSHARP -> "cs";
            case PYTHON -> "py";
            case JAVASCRIPT -> "js";
            default -> "ts";
        };
        String prefix = language == Language.JAVA || language == Language.KOTLIN ? "package app.main;\n"
                : language == Language.CSHARP ? "namespace App.Main;\n" : "";
        assertLinear(k -> prefix + build(shape, a, b, k),
                text -> steps(w -> ImportParser.parse(new MemoryFile(path, text), w)));
    }

    @Property(tries = 100, seed = SEED)
    void manifestParserIsLinear(@ForAll("manifestUnits") String a, @ForAll("manifestUnits") String b,
            @ForAll Shape shape, @ForAll("manifestNames") String name) {
        assertLinear(k -> build(shape, a, b, k), text -> steps(w -> ManifestParser.parse("m/" + name, text, w)));
    }

    @Property(tries = 10, seed = SEED)
    void manifestParserIsLinearOnDeeplyNestedPomDependencies(@ForAll("manifestUnits") String inner) {
        // a dependency inside a dependency ...: a subtree search per dependency cost the square of the depth
        assertLinear(k -> "<project>" + "<dependency><groupId>".repeat(k) + inner.replaceAll("[<>&]", "")
                + "</groupId></dependency>".repeat(k) + "</project>",
                text -> steps(w -> ManifestParser.parse("pom.xml", text, w)));
    }

    @Property(tries = 50, seed = SEED)
    void lineCounterIsLinear(@ForAll("braceUnits") String a, @ForAll("braceUnits") String b, @ForAll Shape shape) {
        assertLinear(k -> build(shape, a, b, k), text -> steps(w -> LineCounter.lines(text, w)));
    }

    @Property(tries = 50, seed = SEED)
    void pathKindsAreLinearInThePath(@ForAll("importUnits") String a, @ForAll Shape shape) {
        assertLinear(k -> build(shape, a.replace('\n', '/'), "/tests/x_test.py", k), path -> {
            // RE2/J is linear in its input: the step is a character handed to it
            PathKinds.isTest(path);
            PathKinds.isTestSource(path);
            PathKinds.isConfiguration(path);
            return 3L * path.length();
        });
    }

    @Property(tries = 50, seed = SEED)
    void inventoryScannerIsLinearInFileSize(@ForAll("manifestUnits") String a, @ForAll("manifestUnits") String b,
            @ForAll Shape shape, @ForAll("manifestNames") String name) {
        assertLinear(k -> build(shape, a, b, k), text -> {
            GuardedProjectView view = guarded(List.of(new MemoryFile(name, text), new MemoryFile("src/A.java", text)));
            InventoryScanner.scan(view);
            return view.guard().steps();
        });
    }

    @Property(tries = 20, seed = SEED)
    void inventoryScannerAndImportGraphAreLinearInFileCount(@ForAll("importUnits") String a,
            @ForAll("importLanguages") Language language) {
        String ext = language == Language.CSHARP ? ".cs" : language == Language.PYTHON ? ".py"
                : language == Language.JAVA ? ".java" : ".js";
        IntFunction<List<SourceFile>> project = k -> {
            List<SourceFile> files = new ArrayList<>();
            for (int i = 0; i < k / 8; i++) {
                files.add(new MemoryFile("src/m" + (i % 7) + "/f" + i + ext,
                        "package m" + (i % 7) + ";\nimport m" + ((i + 1) % 7) + ".X;\n" + a + "\n"));
            }
            return files;
        };
        // the input is the whole project: compare its total size
        assertLinear(k -> String.valueOf(k), kText -> {
            GuardedProjectView view = guarded(project.apply(Integer.parseInt(kText)));
            InventoryScanner.scan(view);
            ImportGraph.of(view);
            return view.guard().steps();
        });
    }

    // ---------------------------------------------------------------- helpers

    private static GuardedProjectView guarded(List<SourceFile> files) {
        ProjectView view = new ProjectView() {
            @Override
            public String projectId() {
                return "p";
            }

            @Override
            public List<SourceFile> files() {
                return files;
            }
        };
        return new GuardedProjectView(view, new AnalysisGuard("p", AnalysisLimits.defaults(), () -> false, () -> false,
                System::nanoTime));
    }

    /** A file held in memory. */
    record MemoryFile(String path, String text) implements SourceFile {
        @Override
        public Language language() {
            return Language.of(path);
        }

        @Override
        public long sizeBytes() {
            return text.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** A character sequence that counts how often it is read. */
    static final class CountingSequence implements CharSequence {
        private final String text;
        long reads;

        CountingSequence(String text) {
            this.text = text;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            reads++;
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            reads += end - start;
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            reads += text.length();
            return text;
        }
    }
}
