package dev.aar.core.analysis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Matcher;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.google.re2j.Pattern;
import dev.aar.core.analysis.Inventory.BuildManifest;
import dev.aar.core.internal.Json;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Reads the declared dependencies of build manifests: pom.xml, build.gradle(.kts), package.json,
 * *.csproj, go.mod, requirements.txt, pyproject.toml and Cargo.toml. XML is parsed with DTDs and
 * external entities refused, since manifests come from untrusted uploads; for the same reason the
 * line formats are read with RE2/J and hand-written scans, linear in the text whatever it holds. TOML
 * (pyproject.toml, Cargo.toml) is parsed by jackson-dataformat-toml. The XML and TOML parsers read
 * through a {@link Work} counter, so a stop reaches them mid-document; a file they refuse becomes a
 * manifest with a problem, never a crash.
 */
final class ManifestParser {

    private static final Pattern GRADLE = Pattern.compile("^\\s*(?:implementation|api|compileOnly|runtimeOnly|"
            + "testImplementation|testRuntimeOnly|testCompileOnly|annotationProcessor|kapt|ksp|compile|testCompile|"
            + "classpath)\\s*\\(?\\s*(?:platform\\s*\\(\\s*)?(?:[\"']([^\"']+)[\"']|(libs\\.[\\w.]+))");
    private static final TomlMapper TOML = new TomlMapper();
    /** Passes over each line besides the RE2/J matches (which count their own reads): comments, strip, split. */
    private static final int LINE_PASSES = 4;

    private ManifestParser() {
    }

    /** Returns the manifest at {@code path}, or null when the file is not a build manifest. */
    static BuildManifest parse(String path, String text) {
        return parse(path, text, Work.unchecked());
    }

    /** Parses like {@link #parse(String, String)}, reporting its steps to {@code work}. */
    static BuildManifest parse(String path, String text, Work work) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        String lower = name.toLowerCase(Locale.ROOT);
        List<String> deps = new ArrayList<>();
        String kind;
        try {
            if (name.equals("pom.xml")) {
                kind = "Maven";
                pom(text, deps, work);
            } else if (name.equals("build.gradle") || name.equals("build.gradle.kts")) {
                kind = "Gradle";
                gradle(text, deps, work);
            } else if (name.equals("package.json")) {
                kind = "npm";
                packageJson(text, deps, work);
            } else if (lower.endsWith(".csproj")) {
                kind = "NuGet";
                csproj(text, deps, work);
            } else if (name.equals("go.mod")) {
                kind = "Go modules";
                goMod(text, deps, work);
            } else if (lower.equals("requirements.txt")) {
                kind = "pip";
                requirements(text, deps, work);
            } else if (name.equals("pyproject.toml")) {
                kind = "pyproject";
                pyproject(text, deps, work);
            } else if (name.equals("Cargo.toml")) {
                kind = "Cargo";
                cargo(text, deps, work);
            } else {
                return null;
            }
        } catch (AnalysisGuard.Halt | dev.aar.core.error.AarException e) {
            throw e; // a stop or a deadline ends the run, it is not a problem of this manifest
        } catch (Exception e) {
            String problem = "could not be read completely: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage());
            return new BuildManifest(path, kindOf(name), deps, problem);
        }
        return new BuildManifest(path, kind, deps, null);
    }

    private static String kindOf(String name) {
        return switch (name) {
            case "pom.xml" -> "Maven";
            case "package.json" -> "npm";
            case "pyproject.toml" -> "pyproject";
            case "Cargo.toml" -> "Cargo";
            default -> name.endsWith(".csproj") ? "NuGet" : name;
        };
    }

    private static Document xml(String text, Work work) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        return b.parse(new InputSource(new CountingReader(text, work)));
    }

    /** Reports every character the XML parser reads to the step counter. */
    private static final class CountingReader extends StringReader {
        private final Work work;

        CountingReader(String text, Work work) {
            super(text);
            this.work = work;
        }

        @Override
        public int read(char[] buffer, int off, int len) throws java.io.IOException {
            int n = super.read(buffer, off, len);
            if (n > 0) {
                work.add(n);
            }
            return n;
        }

        @Override
        public int read() throws java.io.IOException {
            int c = super.read();
            work.add(1);
            return c;
        }
    }

    /** Returns the lines of {@code text}, charging a pass over it. */
    private static String[] lines(String text, Work work) {
        work.add(text.length());
        return text.split("\n");
    }

    private static void pom(String text, List<String> deps, Work work) throws Exception {
        NodeList list = xml(text, work).getElementsByTagName("dependency");
        for (int i = 0; i < list.getLength(); i++) {
            Element d = (Element) list.item(i);
            work.add(1);
            Node owner = d.getParentNode() == null ? null : d.getParentNode().getParentNode();
            if (owner != null && "plugin".equals(owner.getNodeName())) {
                continue; // a plugin's own classpath, not the project's
            }
            String coordinates = child(d, "groupId", work) + ":" + child(d, "artifactId", work);
            String version = child(d, "version", work);
            String scope = child(d, "scope", work);
            deps.add(coordinates + (version.isEmpty() ? "" : ":" + version) + (scope.isEmpty() ? "" : " (" + scope + ")"));
        }
    }

    /**
     * Returns the text of {@code e}'s first child element called {@code name}, stripped, or "".
     * Only direct children and their own text nodes are read: a search of the whole subtree would
     * make nested elements (a dependency inside a dependency...) cost the square of their depth.
     */
    private static String child(Element e, String name, Work work) {
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            work.add(1);
            if (c.getNodeType() == Node.ELEMENT_NODE && name.equals(c.getNodeName())) {
                StringBuilder text = new StringBuilder();
                for (Node t = c.getFirstChild(); t != null; t = t.getNextSibling()) {
                    work.add(1);
                    if (t.getNodeType() == Node.TEXT_NODE || t.getNodeType() == Node.CDATA_SECTION_NODE) {
                        text.append(t.getNodeValue());
                    }
                }
                return text.toString().strip();
            }
        }
        return "";
    }

    private static void csproj(String text, List<String> deps, Work work) throws Exception {
        Document doc = xml(text, work);
        NodeList list = doc.getElementsByTagName("PackageReference");
        for (int i = 0; i < list.getLength(); i++) {
            Element e = (Element) list.item(i);
            work.add(1);
            String version = e.getAttribute("Version").isEmpty() ? child(e, "Version", work) : e.getAttribute("Version");
            deps.add(e.getAttribute("Include") + (version.isEmpty() ? "" : "@" + version));
        }
        NodeList projects = doc.getElementsByTagName("ProjectReference");
        for (int i = 0; i < projects.getLength(); i++) {
            work.add(1);
            deps.add("project:" + ((Element) projects.item(i)).getAttribute("Include"));
        }
    }

    private static void gradle(String text, List<String> deps, Work work) {
        for (String line : lines(text, work)) {
            work.add(1);
            Matcher m = GRADLE.matcher(work.counted(line));
            if (m.find()) {
                deps.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
        }
    }

    private static void packageJson(String text, List<String> deps, Work work) throws Exception {
        work.add(text.length()); // Jackson parses in one pass, its nesting depth bounded by StreamReadConstraints
        JsonNode root = Json.read(text);
        for (String section : List.of("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")) {
            JsonNode node = root.path(section);
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                work.add(1);
                deps.add(e.getKey() + "@" + e.getValue().asText() + (section.equals("dependencies") ? "" : " (" + section + ")"));
            }
        }
    }

    private static void goMod(String text, List<String> deps, Work work) {
        boolean block = false;
        for (String raw : lines(text, work)) {
            work.add(LINE_PASSES * (raw.length() + 1L));
            int comment = raw.indexOf("//");
            String line = (comment < 0 ? raw : raw.substring(0, comment)).strip();
            if (line.startsWith("require (")) {
                block = true;
            } else if (block && line.startsWith(")")) {
                block = false;
            } else if (block && !line.isEmpty()) {
                deps.add(joinWords(line));
            } else if (line.startsWith("require ")) {
                deps.add(joinWords(line.substring("require ".length()).strip()));
            }
        }
    }

    /** Replaces each whitespace run of {@code s} with '@': {@code s.replaceAll("\\s+", "@")}. */
    private static String joinWords(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                if (i == 0 || !isSpace(s.charAt(i - 1))) {
                    out.append('@');
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Removes comments the way {@code replaceAll("\\s#.*|^#.*", "")} did: from a '#' at the start or
     * after whitespace (with that whitespace) to the end of the line or a line terminator inside it.
     */
    static String stripComment(String line) {
        StringBuilder out = null;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            boolean starts = (c == '#' && i == 0) || (isSpace(c) && i + 1 < n && line.charAt(i + 1) == '#');
            if (!starts) {
                if (out != null) {
                    out.append(c);
                }
                i++;
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n).append(line, 0, i);
            }
            int j = c == '#' ? i + 1 : i + 2;
            while (j < n && !isLineTerminator(line.charAt(j))) {
                j++;
            }
            i = j;
        }
        return out == null ? line : out.toString();
    }

    /** {@code \s} of java.util.regex. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** The characters java.util.regex's {@code .} does not match. */
    private static boolean isLineTerminator(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    private static void requirements(String text, List<String> deps, Work work) {
        for (String raw : lines(text, work)) {
            work.add(LINE_PASSES * (raw.length() + 1L));
            String line = stripComment(raw).strip();
            if (!line.isEmpty() && !line.startsWith("-")) {
                deps.add(line);
            }
        }
    }

    /**
     * Parses TOML with jackson-dataformat-toml through the step counter; its read constraints (nesting
     * depth, string and number lengths) bound what a hostile file can make it build.
     */
    private static JsonNode toml(String text, Work work) throws java.io.IOException {
        return TOML.readTree(new CountingReader(text, work));
    }

    private static void pyproject(String text, List<String> deps, Work work) throws java.io.IOException {
        JsonNode root = toml(text, work);
        for (JsonNode d : root.path("project").path("dependencies")) {
            work.add(1);
            if (d.isTextual()) {
                deps.add(d.asText());
            }
        }
        // [tool.poetry.dependencies], [tool.poetry.dev-dependencies], [tool.poetry.group.<name>.dependencies]
        JsonNode poetry = root.path("tool").path("poetry");
        List<JsonNode> tables = new ArrayList<>();
        poetry.fields().forEachRemaining(f -> {
            if (f.getKey().endsWith("dependencies")) {
                tables.add(f.getValue());
            }
        });
        poetry.path("group").forEach(group -> tables.add(group.path("dependencies")));
        for (JsonNode table : tables) {
            table.fields().forEachRemaining(f -> {
                work.add(1);
                if (!f.getKey().equals("python")) {
                    deps.add(f.getKey() + tomlVersion(f.getValue()));
                }
            });
        }
    }

    private static void cargo(String text, List<String> deps, Work work) throws java.io.IOException {
        JsonNode root = toml(text, work);
        List<JsonNode> scopes = new ArrayList<>();
        scopes.add(root);
        root.path("target").forEach(scopes::add); // [target.'cfg(…)'.dependencies]
        for (JsonNode scope : scopes) {
            for (String table : List.of("dependencies", "dev-dependencies", "build-dependencies")) {
                scope.path(table).fields().forEachRemaining(f -> {
                    work.add(1);
                    deps.add(f.getKey() + tomlVersion(f.getValue()));
                });
            }
        }
    }

    /** Returns "@version" of {@code "1.0"} or {@code { version = "1.0", … }}, or "" when there is none. */
    private static String tomlVersion(JsonNode value) {
        JsonNode v = value.isTextual() ? value : value.path("version");
        return v.isTextual() ? "@" + v.asText() : "";
    }
}
