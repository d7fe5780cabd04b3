package dev.aar.core.analysis.internal;

import com.google.re2j.Pattern;
import dev.aar.core.analysis.Language;
import java.util.Locale;

/** Classifies project paths as test code, documentation or configuration by name conventions (RE2/J: linear in the path). */
public final class PathKinds {

    static final Pattern TEST_DIR = Pattern.compile(
            "(?i)(^|/)(test|tests|__tests__|spec|specs|fixtures?|testdata|test-data|testing|__mocks__|mocks?)/");
    static final Pattern TEST_FILE = Pattern.compile(
            "(?i)(^|/)(test_[^/]*\\.py|[^/]*_test\\.(py|go)|[^/]*(Test|Tests|IT|Spec)\\.(java|kt|cs|scala|groovy)"
                    + "|[^/]*\\.(test|spec)\\.[jt]sx?|conftest\\.py)$");

    static final Pattern TEST_SOURCE_DIR = Pattern.compile("(?i)(^|/)(test|tests|__tests__)/");

    private PathKinds() {
    }

    /** Returns whether {@code path} is test code or test data, by directory or file naming conventions. */
    public static boolean isTest(String path) {
        return mayBeTest(path) && (TEST_DIR.matcher(path).find() || TEST_FILE.matcher(path).find());
    }

    /**
     * Returns whether {@code path} is test <em>code</em>: under a test source root ({@code src/test/},
     * {@code test/}, {@code tests/}, {@code __tests__/}) or named like a test. Narrower than
     * {@link #isTest}: a main-code package called {@code spec}, {@code mocks} or {@code testing} is not test code.
     */
    public static boolean isTestSource(String path) {
        return mayBeTest(path) && (TEST_SOURCE_DIR.matcher(path).find() || TEST_FILE.matcher(path).find());
    }

    /**
     * Whether {@code path} can match any of the patterns above: each alternative holds "test", "spec",
     * "fixture", "mock" or "it." in some case, and only non-ASCII letters (the Kelvin sign, the long s)
     * fold to ASCII ones under RE2's case folding, so an ASCII path without them matches none. The
     * patterns are unanchored RE2/J searches, a tenth of Analyzing's CPU on the JDK's sources where
     * three analyzers ask about each of 15,224 paths; this look is a pass over the path.
     */
    static boolean mayBeTest(String path) {
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) >= 0x80) {
                return true;
            }
        }
        String p = path.toLowerCase(Locale.ROOT);
        return p.contains("test") || p.contains("spec") || p.contains("fixture") || p.contains("mock") || p.contains("it.");
    }

    /** Returns whether {@code path} is documentation (Markdown, text, reStructuredText, AsciiDoc). */
    public static boolean isDocumentation(String path) {
        Language l = Language.of(path);
        return l == Language.MARKDOWN || l == Language.TEXT;
    }

    /** Returns whether {@code path} is a configuration file whose values are usually unquoted. */
    public static boolean isConfiguration(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        Language l = Language.of(path);
        return l == Language.PROPERTIES || l == Language.YAML || l == Language.TOML || name.startsWith(".env")
                || name.endsWith(".ini") || name.endsWith(".conf") || name.endsWith(".cfg") || name.endsWith(".env");
    }
}
