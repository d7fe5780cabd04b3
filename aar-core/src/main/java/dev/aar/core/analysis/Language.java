package dev.aar.core.analysis;

import java.util.Locale;
import java.util.Map;

/** The language of a file, decided by its name; {@link #OTHER} when unknown. */
public enum Language {
    JAVA("Java", true),
    KOTLIN("Kotlin", true),
    CSHARP("C#", true),
    JAVASCRIPT("JavaScript", true),
    TYPESCRIPT("TypeScript", true),
    PYTHON("Python", true),
    GO("Go", true),
    RUST("Rust", true),
    C("C", true),
    CPP("C++", true),
    SCALA("Scala", true),
    SWIFT("Swift", true),
    PHP("PHP", true),
    RUBY("Ruby", true),
    SHELL("Shell", true),
    SQL("SQL", true),
    HTML("HTML", false),
    CSS("CSS", false),
    XML("XML", false),
    JSON("JSON", false),
    YAML("YAML", false),
    PROPERTIES("Properties", false),
    TOML("TOML", false),
    MARKDOWN("Markdown", false),
    TEXT("Text", false),
    OTHER("Other", false);

    private static final Map<String, Language> BY_EXTENSION = Map.ofEntries(
            Map.entry("java", JAVA), Map.entry("kt", KOTLIN), Map.entry("kts", KOTLIN),
            Map.entry("cs", CSHARP), Map.entry("js", JAVASCRIPT), Map.entry("jsx", JAVASCRIPT),
            Map.entry("mjs", JAVASCRIPT), Map.entry("cjs", JAVASCRIPT), Map.entry("ts", TYPESCRIPT),
            Map.entry("tsx", TYPESCRIPT), Map.entry("mts", TYPESCRIPT), Map.entry("cts", TYPESCRIPT),
            Map.entry("py", PYTHON), Map.entry("go", GO), Map.entry("rs", RUST), Map.entry("c", C),
            Map.entry("h", C), Map.entry("cc", CPP), Map.entry("cpp", CPP), Map.entry("cxx", CPP),
            Map.entry("hpp", CPP), Map.entry("hh", CPP), Map.entry("scala", SCALA), Map.entry("swift", SWIFT),
            Map.entry("php", PHP), Map.entry("rb", RUBY), Map.entry("sh", SHELL), Map.entry("bash", SHELL),
            Map.entry("ps1", SHELL), Map.entry("sql", SQL), Map.entry("html", HTML), Map.entry("htm", HTML),
            Map.entry("css", CSS), Map.entry("scss", CSS), Map.entry("xml", XML), Map.entry("csproj", XML),
            Map.entry("json", JSON), Map.entry("yml", YAML), Map.entry("yaml", YAML),
            Map.entry("properties", PROPERTIES), Map.entry("toml", TOML), Map.entry("md", MARKDOWN),
            Map.entry("markdown", MARKDOWN), Map.entry("txt", TEXT), Map.entry("rst", TEXT), Map.entry("adoc", TEXT));

    private final String displayName;
    private final boolean code;

    Language(String displayName, boolean code) {
        this.displayName = displayName;
        this.code = code;
    }

    /** Returns the name shown in reports, such as "C#". */
    public String displayName() {
        return displayName;
    }

    /** Returns whether files of this language are program code (as opposed to config, markup or docs). */
    public boolean isCode() {
        return code;
    }

    /** Returns the language of the file at {@code path}, by its extension. */
    public static Language of(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? OTHER : BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), OTHER);
    }
}
