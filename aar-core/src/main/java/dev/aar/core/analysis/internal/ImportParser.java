package dev.aar.core.analysis.internal;

import dev.aar.core.analysis.Language;
import dev.aar.core.analysis.SourceFile;
import dev.aar.core.analysis.internal.ParsedFile.RawImport;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a file's module and imports with line-oriented regular expressions, which is enough for
 * the declarations these languages put at line starts and keeps a large project cheap to scan.
 */
final class ImportParser {

    /** The module name of files at the project root (JavaScript, Python). */
    static final String ROOT_MODULE = "(root)";

    private static final Pattern JVM_PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)");
    private static final Pattern JVM_IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+?)(\\.\\*)?\\s*(?:;|\\s+as\\s|\\s*$)");
    private static final Pattern JVM_BODY = Pattern.compile("\\s*(?:(?:public|private|protected|internal|abstract|"
            + "final|sealed|non-sealed|open|data|static|strictfp|inline|value|enum|annotation|inner)\\s+)*"
            + "(?:class|interface|enum|record|object|@interface|fun)\\s");
    private static final Pattern CS_NAMESPACE = Pattern.compile("^\\s*namespace\\s+([\\w.]+)");
    private static final Pattern CS_USING = Pattern.compile("^\\s*(?:global\\s+)?using\\s+(?:static\\s+)?(?:\\w+\\s*=\\s*)?([\\w.]+)\\s*;");
    private static final Pattern PY_IMPORT = Pattern.compile("^\\s*import\\s+([\\w.]+(?:\\s+as\\s+\\w+)?(?:\\s*,\\s*[\\w.]+(?:\\s+as\\s+\\w+)?)*)");
    private static final Pattern PY_FROM = Pattern.compile("^\\s*from\\s+(\\.*)([\\w.]*)\\s+import\\s+\\(?\\s*([\\w\\s,*]*)");
    private static final Pattern JS_IMPORT = Pattern.compile(
            "(?:\\bfrom\\s*|\\bimport\\s*\\(?\\s*|\\brequire\\s*\\(\\s*)['\"](\\.{1,2}(?:/[^'\"]*)?)['\"]");

    private ImportParser() {
    }

    /** Returns the file's module and imports, or null when its language has no import graph here. */
    static ParsedFile parse(SourceFile file) {
        Language language = file.language();
        return switch (language) {
            case JAVA, KOTLIN -> jvm(file);
            case CSHARP -> csharp(file);
            case PYTHON -> python(file);
            case JAVASCRIPT, TYPESCRIPT -> javascript(file);
            default -> null;
        };
    }

    private static ParsedFile jvm(SourceFile file) {
        String module = null;
        List<RawImport> imports = new ArrayList<>();
        String text = file.text();
        // walk line by line without splitting the whole file: imports end where the first type starts
        int lineNo = 0;
        for (int start = 0; start <= text.length(); ) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            String line = text.substring(start, end);
            lineNo++;
            start = end + 1;
            Matcher m;
            if (module == null && (m = JVM_PACKAGE.matcher(line)).find()) {
                module = m.group(1);
            } else if ((m = JVM_IMPORT.matcher(line)).find()) {
                imports.add(new RawImport(m.group(1), lineNo, false));
            } else if (isJvmBodyStart(line)) {
                break;
            }
        }
        return module == null ? null : new ParsedFile(file.path(), module, imports);
    }

    private static boolean isJvmBodyStart(String line) {
        return JVM_BODY.matcher(line).lookingAt();
    }

    private static ParsedFile csharp(SourceFile file) {
        String module = null;
        List<RawImport> imports = new ArrayList<>();
        String[] lines = file.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m;
            if (module == null && (m = CS_NAMESPACE.matcher(lines[i])).find()) {
                module = m.group(1);
            } else if ((m = CS_USING.matcher(lines[i])).find()) {
                imports.add(new RawImport(m.group(1), i + 1, false));
            }
        }
        return module == null ? null : new ParsedFile(file.path(), module, imports);
    }

    private static ParsedFile python(SourceFile file) {
        String pkg = directoryModule(file.path());
        List<RawImport> imports = new ArrayList<>();
        String[] lines = file.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m;
            if ((m = PY_FROM.matcher(lines[i])).find()) {
                String dots = m.group(1);
                String name = m.group(2);
                if (dots.isEmpty()) {
                    imports.add(new RawImport(name, i + 1, false));
                } else {
                    String base = parent(pkg, dots.length() - 1);
                    if (base == null) {
                        continue; // climbs above the project root
                    }
                    String target = name.isEmpty() ? base : join(base, name);
                    imports.add(new RawImport(target, i + 1, true));
                    if (name.isEmpty()) {
                        // "from . import a, b": a and b may be subpackages
                        for (String n : m.group(3).split(",")) {
                            if (!n.isBlank() && !n.contains("*")) {
                                imports.add(new RawImport(join(base, n.strip().split("\\s+")[0]), i + 1, true));
                            }
                        }
                    }
                }
            } else if ((m = PY_IMPORT.matcher(lines[i])).find()) {
                for (String part : m.group(1).split(",")) {
                    imports.add(new RawImport(part.strip().split("\\s+")[0], i + 1, false));
                }
            }
        }
        return new ParsedFile(file.path(), pkg, imports);
    }

    private static ParsedFile javascript(SourceFile file) {
        String dir = directoryOf(file.path());
        List<RawImport> imports = new ArrayList<>();
        String[] lines = file.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = JS_IMPORT.matcher(lines[i]);
            while (m.find()) {
                String resolved = resolvePath(dir, m.group(1));
                if (resolved != null) {
                    imports.add(new RawImport(resolved, i + 1, true));
                }
            }
        }
        return new ParsedFile(file.path(), dottedOrRoot(dir), imports);
    }

    /** Returns the dotted module of the directory holding {@code path}. */
    static String directoryModule(String path) {
        return dottedOrRoot(directoryOf(path));
    }

    private static String directoryOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** Turns "src/domain" into "src.domain"; dots inside a directory name become '_'. */
    static String dottedOrRoot(String dir) {
        if (dir.isEmpty()) {
            return ROOT_MODULE;
        }
        StringBuilder out = new StringBuilder();
        for (String segment : dir.split("/")) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(segment.replace('.', '_'));
        }
        return out.toString();
    }

    /**
     * Resolves a relative JavaScript specifier against {@code dir} to a '/'-path, keeping the last
     * segment (file or directory); null when it climbs above the root.
     */
    private static String resolvePath(String dir, String specifier) {
        List<String> parts = new ArrayList<>();
        if (!dir.isEmpty()) {
            parts.addAll(List.of(dir.split("/")));
        }
        for (String s : specifier.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(s);
            }
        }
        return String.join("/", parts);
    }

    private static String parent(String module, int levels) {
        if (levels == 0) {
            return module;
        }
        if (module.equals(ROOT_MODULE)) {
            return null;
        }
        int dot = module.lastIndexOf('.');
        return parent(dot < 0 ? ROOT_MODULE : module.substring(0, dot), levels - 1);
    }

    private static String join(String base, String name) {
        return base.equals(ROOT_MODULE) ? name : base + "." + name;
    }
}
