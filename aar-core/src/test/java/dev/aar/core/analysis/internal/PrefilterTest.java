package dev.aar.core.analysis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The cheap looks in front of RE2/J patterns never hide a match; they only skip what cannot match. */
class PrefilterTest {

    @Property(tries = 3000)
    void aPathTheTestLookRulesOutMatchesNoTestPattern(@ForAll("paths") String path) {
        if (!PathKinds.mayBeTest(path)) {
            assertThat(PathKinds.TEST_DIR.matcher(path).find()).as(path).isFalse();
            assertThat(PathKinds.TEST_SOURCE_DIR.matcher(path).find()).as(path).isFalse();
            assertThat(PathKinds.TEST_FILE.matcher(path).find()).as(path).isFalse();
        }
    }

    @Property(tries = 3000)
    void aLineTheJvmLookRulesOutMatchesNoJvmPattern(@ForAll("lines") String line) {
        if (!ImportParser.mayMatchJvm(line)) {
            assertThat(ImportParser.JVM_PACKAGE.matcher(line).find()).as(line).isFalse();
            assertThat(ImportParser.JVM_IMPORT.matcher(line).find()).as(line).isFalse();
            assertThat(ImportParser.JVM_BODY.matcher(line).lookingAt()).as(line).isFalse();
        }
    }

    @Example
    void testPathsStillCountAsTests() {
        for (String path : List.of("src/test/java/a/B.java", "a/FooTest.java", "x/__tests__/y.js", "lib/spec/z.rb",
                "pkg/thing_test.go", "conftest.py", "a/FooIT.java", "web/app.spec.ts", "FIXTURES/data.json",
                "a/\u212Aube/MOCKS/x.java", "src/\u017Fpec/x.rb")) {
            assertThat(PathKinds.isTest(path)).as(path).isTrue();
        }
        assertThat(PathKinds.isTest("src/main/java/a/Service.java")).isFalse();
        assertThat(PathKinds.isTestSource("src/main/java/a/spec/Rule.java")).isFalse();
        assertThat(PathKinds.isTestSource("src/test/java/a/Rule.java")).isTrue();
        // RE2's case folding takes the long s for an s: the look leaves such paths to the pattern
        assertThat(PathKinds.isTest("lib/\u017Fpecs/x.rb")).isTrue();
    }

    @Example
    void jvmDeclarationsAndImportsStillParse() {
        for (String line : List.of("package a.b;", "  import static a.B.c;", "\tpublic final class X {",
                "@interface Marker {", "non-sealed interface Y", "fun main() {")) {
            assertThat(ImportParser.mayMatchJvm(line)).as(line).isTrue();
        }
        for (String line : List.of(" * package a.b;", "// import x;", "", "   ", "/**", "}", "X x = y;")) {
            assertThat(ImportParser.mayMatchJvm(line)).as(line).isFalse();
        }
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> parts = Arbitraries.of("/", "/", ".", "_", "-", "a", "B", "src", "main", "java", "it", "IT", "It",
                "t", "T", "test", "Test", "TEST", "tests", "spec", "Spec", "specs", "fixture", "fixtures", "mock", "Mocks",
                "__tests__", "__mocks__", "testdata", "test-data", "testing", "conftest", ".java", ".py", ".go", ".js",
                ".tsx", ".kt", ".cs", ".scala", ".groovy", "\u212A", "\u017F", "\u00E9", "x");
        return parts.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> parts = Arbitraries.of(" ", " ", "\t", "\f", "\r", "\u000B", "\u00A0", "*", "/", "//", "@",
                "@interface", "package", "import", "static", "public", "final", "non-sealed", "class", "interface",
                "record", "enum", "object", "fun", "data", "a.b", "A", "Foo", "x", ";", ".", "*", "{", "(", "as", "_");
        return parts.list().ofMaxSize(10).map(l -> String.join("", l));
    }
}
