package dev.aar.core.analysis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.analysis.Inventory.BuildManifest;
import dev.aar.core.internal.Json;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * external entities refused, since manifests come from untrusted uploads.
 */
final class ManifestParser {

    private static final Pattern GRADLE = Pattern.compile("^\\s*(?:implementation|api|compileOnly|runtimeOnly|"
            + "testImplementation|testRuntimeOnly|testCompileOnly|annotationProcessor|kapt|ksp|compile|testCompile|"
            + "classpath)\\s*\\(?\\s*(?:platform\\s*\\(\\s*)?(?:[\"']([^\"']+)[\"']|(libs\\.[\\w.]+))");
    private static final Pattern TOML_TABLE = Pattern.compile("^\\s*\\[\\s*([^\\]]+?)\\s*]\\s*$");
    private static final Pattern TOML_KEY = Pattern.compile("^\\s*([\\w.\"-]+)\\s*=\\s*(.*)$");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"|'([^']*)'");

    private ManifestParser() {
    }

    /** Returns the manifest at {@code path}, or null when the file is not a build manifest. */
    static BuildManifest parse(String path, String text) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        String lower = name.toLowerCase(Locale.ROOT);
        List<String> deps = new ArrayList<>();
        String kind;
        try {
            if (name.equals("pom.xml")) {
                kind = "Maven";
                pom(text, deps);
            } else if (name.equals("build.gradle") || name.equals("build.gradle.kts")) {
                kind = "Gradle";
                gradle(text, deps);
            } else if (name.equals("package.json")) {
                kind = "npm";
                packageJson(text, deps);
            } else if (lower.endsWith(".csproj")) {
                kind = "NuGet";
                csproj(text, deps);
            } else if (name.equals("go.mod")) {
                kind = "Go modules";
                goMod(text, deps);
            } else if (lower.equals("requirements.txt")) {
                kind = "pip";
                requirements(text, deps);
            } else if (name.equals("pyproject.toml")) {
                kind = "pyproject";
                pyproject(text, deps);
            } else if (name.equals("Cargo.toml")) {
                kind = "Cargo";
                cargo(text, deps);
            } else {
                return null;
            }
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

    private static Document xml(String text) throws Exception {
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
        return b.parse(new InputSource(new StringReader(text)));
    }

    private static void pom(String text, List<String> deps) throws Exception {
        NodeList list = xml(text).getElementsByTagName("dependency");
        for (int i = 0; i < list.getLength(); i++) {
            Element d = (Element) list.item(i);
            Node owner = d.getParentNode() == null ? null : d.getParentNode().getParentNode();
            if (owner != null && "plugin".equals(owner.getNodeName())) {
                continue; // a plugin's own classpath, not the project's
            }
            String coordinates = child(d, "groupId") + ":" + child(d, "artifactId");
            String version = child(d, "version");
            String scope = child(d, "scope");
            deps.add(coordinates + (version.isEmpty() ? "" : ":" + version) + (scope.isEmpty() ? "" : " (" + scope + ")"));
        }
    }

    private static String child(Element e, String name) {
        NodeList l = e.getElementsByTagName(name);
        return l.getLength() == 0 ? "" : l.item(0).getTextContent().strip();
    }

    private static void csproj(String text, List<String> deps) throws Exception {
        Document doc = xml(text);
        NodeList list = doc.getElementsByTagName("PackageReference");
        for (int i = 0; i < list.getLength(); i++) {
            Element e = (Element) list.item(i);
            String version = e.getAttribute("Version").isEmpty() ? child(e, "Version") : e.getAttribute("Version");
            deps.add(e.getAttribute("Include") + (version.isEmpty() ? "" : "@" + version));
        }
        NodeList projects = doc.getElementsByTagName("ProjectReference");
        for (int i = 0; i < projects.getLength(); i++) {
            deps.add("project:" + ((Element) projects.item(i)).getAttribute("Include"));
        }
    }

    private static void gradle(String text, List<String> deps) {
        for (String line : text.split("\n")) {
            Matcher m = GRADLE.matcher(line);
            if (m.find()) {
                deps.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
        }
    }

    private static void packageJson(String text, List<String> deps) throws Exception {
        JsonNode root = Json.read(text);
        for (String section : List.of("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")) {
            JsonNode node = root.path(section);
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                deps.add(e.getKey() + "@" + e.getValue().asText() + (section.equals("dependencies") ? "" : " (" + section + ")"));
            }
        }
    }

    private static void goMod(String text, List<String> deps) {
        boolean block = false;
        for (String raw : text.split("\n")) {
            String line = raw.replaceAll("//.*", "").strip();
            if (line.startsWith("require (")) {
                block = true;
            } else if (block && line.startsWith(")")) {
                block = false;
            } else if (block && !line.isEmpty()) {
                deps.add(line.replaceAll("\\s+", "@"));
            } else if (line.startsWith("require ")) {
                deps.add(line.substring("require ".length()).strip().replaceAll("\\s+", "@"));
            }
        }
    }

    private static void requirements(String text, List<String> deps) {
        for (String raw : text.split("\n")) {
            String line = raw.replaceAll("\\s#.*|^#.*", "").strip();
            if (!line.isEmpty() && !line.startsWith("-")) {
                deps.add(line);
            }
        }
    }

    private static void pyproject(String text, List<String> deps) {
        String table = "";
        boolean inArray = false;
        for (String raw : text.split("\n")) {
            String line = raw.replaceAll("\\s#.*|^#.*", "").strip();
            Matcher t = TOML_TABLE.matcher(line);
            if (!inArray && t.matches()) {
                table = t.group(1);
                continue;
            }
            if (inArray) {
                quoted(line, deps);
                inArray = !line.contains("]");
                continue;
            }
            Matcher kv = TOML_KEY.matcher(line);
            if (!kv.matches()) {
                continue;
            }
            if (table.equals("project") && kv.group(1).equals("dependencies")) {
                quoted(kv.group(2), deps);
                inArray = kv.group(2).contains("[") && !kv.group(2).contains("]");
            } else if (table.startsWith("tool.poetry") && table.endsWith("dependencies") && !kv.group(1).equals("python")) {
                deps.add(kv.group(1) + tomlVersion(kv.group(2)));
            }
        }
    }

    private static void cargo(String text, List<String> deps) {
        String table = "";
        for (String raw : text.split("\n")) {
            String line = raw.replaceAll("\\s#.*|^#.*", "").strip();
            Matcher t = TOML_TABLE.matcher(line);
            if (t.matches()) {
                table = t.group(1);
                Matcher inline = Pattern.compile("(?:^|\\.)(?:dev-|build-)?dependencies\\.([\\w-]+)$").matcher(table);
                if (inline.find()) {
                    deps.add(inline.group(1));
                }
                continue;
            }
            Matcher kv = TOML_KEY.matcher(line);
            if (kv.matches() && table.matches("(?:target\\..+\\.)?(?:dev-|build-)?dependencies")) {
                deps.add(kv.group(1) + tomlVersion(kv.group(2)));
            }
        }
    }

    private static String tomlVersion(String value) {
        String v = value.strip();
        if (v.startsWith("\"") || v.startsWith("'")) {
            return "@" + v.replaceAll("^[\"']|[\"']$", "");
        }
        Matcher m = Pattern.compile("version\\s*=\\s*[\"']([^\"']+)").matcher(v);
        return m.find() ? "@" + m.group(1) : "";
    }

    private static void quoted(String text, List<String> deps) {
        Matcher m = QUOTED.matcher(text);
        while (m.find()) {
            deps.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
    }
}
