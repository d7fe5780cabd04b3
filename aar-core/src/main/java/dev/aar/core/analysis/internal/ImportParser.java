package dev.aar.core.analysis.internal;

import dev.aar.core.analysis.Language;
import dev.aar.core.analysis.SourceFile;
import dev.aar.core.analysis.internal.ParsedFile.RawImport;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a file's module and imports with line-oriented regular expressions, which is enough for
 * the declarations these languages put at line starts and keeps a large project cheap to scan.
 * The expressions are RE2/J's, linear in the line whatever it holds (an upload is untrusted).
 */
final class ImportParser {

    /** The module name of files at the project root (JavaScript, Python). */
    static final String ROOT_MODULE = "(root)";

    static final Pattern JVM_PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)");
    static final Pattern JVM_IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+?)(\\.\\*)?\\s*(?:;|\\s+as\\s|\\s*$)");
    static final Pattern JVM_BODY = Pattern.compile("\\s*(?:(?:public|private|protected|internal|abstract|"
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
        return parse(file, Work.unchecked());
    }

    /** Parses like {@link #parse(SourceFile)}, reporting its steps to {@code work}. */
    static ParsedFile parse(SourceFile file, Work work) {
        Language language = file.language();
        return switch (language) {
            case JAVA, KOTLIN -> jvm(file, work);
            case CSHARP -> csharp(file, work);
            case PYTHON -> python(file, work);
            case JAVASCRIPT, TYPESCRIPT -> javascript(file, work);
            default -> null;
        };
    }

    /** Splits {@code text} into lines, charging a pass over it. */
    private static String[] lines(String text, Work work) {
        work.add(text.length());
        return text.split("\n", -1);
    }

    private static ParsedFile jvm(SourceFile file, Work work) {
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
            work.add(line.length() + 1L); // the copy; the matches count their own reads
            lineNo++;
            start = end + 1;
            if (!mayMatchJvm(line)) {
                continue; // a comment, a blank line, code: none of the three patterns can match
            }
            Matcher m;
            if (module == null && (m = JVM_PACKAGE.matcher(work.counted(line))).find()) {
                module = name(m.group(1));
            } else if ((m = JVM_IMPORT.matcher(work.counted(line))).find()) {
                add(imports, m.group(1), lineNo, false);
            } else if (isJvmBodyStart(line, work)) {
                break;
            }
        }
        return module == null ? null : new ParsedFile(file.path(), module, imports);
    }

    /**
     * Whether {@code line} can match {@link #JVM_PACKAGE}, {@link #JVM_IMPORT} or {@link #JVM_BODY}:
     * each begins with RE2's {@code \\s*} ({@code [\\t\\n\\f\\r ]}) and then a lowercase keyword or
     * {@code @interface}, so a line whose first other character is not 'a'-'z' or '@' matches none.
     * Most lines before a JVM file's first type are its licence and Javadoc comments, and three RE2/J
     * matches of each were a quarter of Analyzing's CPU on the JDK's sources.
     */
    static boolean mayMatchJvm(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\f' && c != '\r') {
                return (c >= 'a' && c <= 'z') || c == '@';
            }
        }
        return false;
    }

    private static boolean isJvmBodyStart(String line, Work work) {
        return JVM_BODY.matcher(work.counted(line)).lookingAt();
    }

    private static ParsedFile csharp(SourceFile file, Work work) {
        String module = null;
        List<RawImport> imports = new ArrayList<>();
        String[] lines = lines(file.text(), work);
        for (int i = 0; i < lines.length; i++) {
            work.add(1);
            Matcher m;
            if (module == null && (m = CS_NAMESPACE.matcher(work.counted(lines[i]))).find()) {
                module = name(m.group(1));
            } else if ((m = CS_USING.matcher(work.counted(lines[i]))).find()) {
                add(imports, m.group(1), i + 1, false);
            }
        }
        return module == null ? null : new ParsedFile(file.path(), module, imports);
    }

    private static ParsedFile python(SourceFile file, Work work) {
        String pkg = directoryModule(file.path());
        List<RawImport> imports = new ArrayList<>();
        String[] lines = lines(file.text(), work);
        for (int i = 0; i < lines.length; i++) {
            work.add(lines[i].length() + 1L); // splitting what the matches found; they count their own reads
            Matcher m;
            if ((m = PY_FROM.matcher(work.counted(lines[i]))).find()) {
                String dots = m.group(1);
                String name = m.group(2);
                if (dots.isEmpty()) {
                    add(imports, name, i + 1, false);
                } else {
                    String base = parent(pkg, dots.length() - 1);
                    if (base == null) {
                        continue; // climbs above the project root
                    }
                    String target = name.isEmpty() ? base : join(base, name);
                    add(imports, target, i + 1, true);
                    if (name.isEmpty()) {
                        // "from . import a, b": a and b may be subpackages
                        for (String n : m.group(3).split(",")) {
                            if (!n.isBlank() && !n.contains("*")) {
                                add(imports, join(base, firstWord(n)), i + 1, true);
                            }
                        }
                    }
                }
            } else if ((m = PY_IMPORT.matcher(work.counted(lines[i]))).find()) {
                for (String part : m.group(1).split(",")) {
                    add(imports, firstWord(part), i + 1, false);
                }
            }
        }
        return new ParsedFile(file.path(), pkg, imports);
    }

    private static ParsedFile javascript(SourceFile file, Work work) {
        String dir = directoryOf(file.path());
        List<RawImport> imports = new ArrayList<>();
        String[] lines = lines(file.text(), work);
        for (int i = 0; i < lines.length; i++) {
            work.add(1);
            Matcher m = JS_IMPORT.matcher(work.counted(lines[i]));
            while (m.find()) {
                work.add(dir.length() + m.group(1).length()); // resolving the specifier
                String resolved = resolvePath(dir, m.group(1));
                if (resolved != null) {
                    add(imports, resolved, i + 1, true);
                }
            }
        }
        return new ParsedFile(file.path(), dottedOrRoot(dir), imports);
    }

    /**
     * The longest module or import name kept. Resolving a name walks its dotted prefixes, which costs
     * the square of its length; real names are far shorter, so longer ones are dropped as noise.
     */
    static final int MAX_NAME_LENGTH = 1000;

    private static String name(String dotted) {
        return dotted.length() > MAX_NAME_LENGTH ? null : dotted;
    }

    private static void add(List<RawImport> imports, String target, int line, boolean exact) {
        if (target.length() <= MAX_NAME_LENGTH) {
            imports.add(new RawImport(target, line, exact));
        }
    }

    /** Returns {@code s} stripped, up to its first whitespace: {@code s.strip().split("\\s+")[0]}. */
    private static String firstWord(String s) {
        String t = s.strip();
        int end = 0;
        while (end < t.length() && " \t\n\u000B\f\r".indexOf(t.charAt(end)) < 0) {
            end++;
        }
        return t.substring(0, end);
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
