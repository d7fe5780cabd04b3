package dev.aar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs {@code aar analyze} and {@code aar search} in-process through picocli on a small generated
 * project: the files written, the summary, exit codes, a hostile archive, and a second run that
 * must reuse every embedding.
 */
class AnalyzeAndSearchCommandTest {

    private static final Pattern TOKENS = Pattern.compile("(?m)^tokens:\\s+([\\d,]+)");
    private static final Pattern CHUNKS = Pattern.compile("(?m)^chunks:\\s+([\\d,]+)");

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = AarCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A small Java project: a few classes with distinct names, one of them long enough for several chunks. */
    private Path project() throws IOException {
        Path p = dir.resolve("shop.zip");
        try (OutputStream os = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(os)) {
            entry(z, "shop/src/main/java/shop/InvoiceCalculator.java", """
                    package shop;

                    /** Totals an invoice. */
                    public final class InvoiceCalculator {
                        public long totalCents(java.util.List<Long> lineCents, int taxPercent) {
                            long net = lineCents.stream().mapToLong(Long::longValue).sum();
                            return net + net * taxPercent / 100;
                        }
                    }
                    """);
            entry(z, "shop/src/main/java/shop/ShippingQuote.java", """
                    package shop;

                    /** Quotes shipping by weight. */
                    public final class ShippingQuote {
                        public long quoteCents(int grams) {
                            return 499 + grams / 100;
                        }
                    }
                    """);
            StringBuilder big = new StringBuilder("package shop;\n\n/** Many small handlers. */\npublic final class OrderEvents {\n");
            for (int i = 0; i < 300; i++) {
                big.append("    public void onOrderEvent").append(i).append("(String orderId) {\n")
                        .append("        System.out.println(\"order \" + orderId + \" event ").append(i).append("\");\n")
                        .append("    }\n\n");
            }
            entry(z, "shop/src/main/java/shop/OrderEvents.java", big.append("}\n").toString());
            entry(z, "shop/README.md", "# Shop\n\nInvoices and shipping quotes.\n");
        }
        return p;
    }

    private static void entry(ZipOutputStream z, String name, String text) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(text.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
    }

    private static long number(Pattern p, String out) {
        Matcher m = p.matcher(out);
        assertThat(m.find()).as("'%s' in:%n%s", p, out).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void analyzeWritesReportAndIndexAndSearchFindsTheCode() throws IOException {
        Path out = dir.resolve("out");
        Run r = run("analyze", project().toString(), "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(out.resolve("report.json")).isRegularFile();
        assertThat(out.resolve("report.html")).isRegularFile();
        assertThat(out.resolve("report.md")).isRegularFile();
        assertThat(out.resolve(SearchCommand.INDEX_FILE)).isRegularFile();
        JsonNode meta = new ObjectMapper().readTree(out.resolve(SearchCommand.META_FILE).toFile());
        assertThat(meta.path("projectId").asText()).isNotBlank();
        assertThat(meta.path("embeddingModel").asText()).isEqualTo("aar-offline-v1-384");
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.path("inventory").path("totalFiles").asInt()).isEqualTo(4);
        assertThat(report.path("findings").toString()).contains("shop/src/main/java/shop/OrderEvents.java");

        assertThat(r.out()).contains("files:     4 indexed", "findings:", "time:",
                "report:    " + out.resolve("report.html").toAbsolutePath());
        assertThat(number(CHUNKS, r.out())).isGreaterThan(4); // OrderEvents.java alone is several chunks
        assertThat(number(TOKENS, r.out())).isPositive();
        assertThat(r.err()).contains("embeddings: offline", "Indexing", "Analyzing");

        Run search = run("search", out.toString(), "InvoiceCalculator totalCents", "-k", "3");
        assertThat(search.code()).as(search.err()).isZero();
        String[] hits = search.out().strip().split("\n");
        assertThat(hits).hasSizeBetween(1, 3);
        // "score  path:start-end  first line"; the best hit is the class the query names
        assertThat(hits[0]).matches("\\d\\.\\d{3}  shop/src/main/java/shop/InvoiceCalculator\\.java:\\d+-\\d+  .*");

        Run events = run("search", out.toString(), "onOrderEvent orderId", "-k", "2");
        assertThat(events.code()).isZero();
        assertThat(events.out()).contains("shop/src/main/java/shop/OrderEvents.java:");
    }

    @Test
    void secondRunIntoTheSameOutSendsNoTokensAndKeepsOneCopyOfTheIndex() throws IOException {
        Path zip = project();
        Path out = dir.resolve("out");
        Run first = run("analyze", zip.toString(), "--out", out.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(number(TOKENS, first.out())).isPositive();
        long chunks = number(CHUNKS, first.out());

        Run second = run("analyze", zip.toString(), "--out", out.toString());
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(number(TOKENS, second.out())).isZero();
        assertThat(number(CHUNKS, second.out())).isEqualTo(chunks);
        assertThat(first.out()).doesNotContain("(0 newly embedded)");
        assertThat(second.out()).contains("(0 newly embedded)");

        // the index holds the new run's chunks only, and search reads them
        Run search = run("search", out.toString(), "ShippingQuote quoteCents grams", "-k", "1");
        assertThat(search.code()).as(search.err()).isZero();
        assertThat(search.out()).contains("shop/src/main/java/shop/ShippingQuote.java:");
        try (var db = dev.aar.jdbc.JdbcBackend.create("jdbc:sqlite:" + out.resolve(SearchCommand.INDEX_FILE))) {
            String project = new ObjectMapper().readTree(out.resolve(SearchCommand.META_FILE).toFile())
                    .path("projectId").asText();
            assertThat(db.embeddingStore().count(project)).isEqualTo(chunks);
            assertThat(totalChunks(out)).isEqualTo(chunks);
        }
    }

    private static long totalChunks(Path out) {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + out.resolve(SearchCommand.INDEX_FILE));
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM chunks")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void hostileArchiveIsRefusedWithExitTwoAndTheReason() throws IOException {
        Path evil = dir.resolve("evil.zip");
        try (OutputStream os = Files.newOutputStream(evil); ZipOutputStream z = new ZipOutputStream(os)) {
            entry(z, "ok/A.java", "class A {}");
            entry(z, "../../escape.sh", "rm -rf /");
        }
        Path out = dir.resolve("out");
        Run r = run("analyze", evil.toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("archive.path_traversal");
        assertThat(out.resolve("report.json")).doesNotExist();
        assertThat(dir.resolve("escape.sh")).doesNotExist();
    }

    /** Issue 13 item 6: one name too long for the file system used to fail (then dead-letter) the whole job. */
    @Test
    void anEntryTheFileSystemCannotHoldIsSkippedAndTheJobSucceeds() throws IOException {
        Path zip = dir.resolve("long-names.zip");
        String tooLong = "src/" + "a".repeat(300) + ".js";
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os)) {
            entry(z, "src/app.js", "export function main() { return 42; }\n");
            entry(z, tooLong, "export const tooLong = true;\n");
            entry(z, "src/" + "b".repeat(256) + "/nested.js", "export const nested = true;\n");
            entry(z, "src/util.js", "export function add(a, b) { return a + b; }\n");
        }
        Path out = dir.resolve("out");
        Run r = run("analyze", zip.toString(), "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("files:     2 indexed");
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.path("inventory").path("totalFiles").asInt()).isEqualTo(2);
        assertThat(report.toString()).doesNotContain("aaaaaaaaaa");
    }

    @Test
    void aRefusalIsPrintedOnceOnItsOwnLine() throws IOException {
        Path zip = dir.resolve("many.zip");
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os)) {
            for (int i = 0; i < 4; i++) {
                entry(z, "src/F" + i + ".java", "class F" + i + " {}");
            }
        }
        Path config = dir.resolve("small.json");
        Files.writeString(config, "{\"ScaleLimits\": {\"MaxFilesPerProject\": 3}}");
        for (String command : List.of("analyze", "preflight")) {
            Run r = command.equals("analyze")
                    ? run("analyze", zip.toString(), "--config", config.toString(), "--out", dir.resolve("o").toString())
                    : run("preflight", zip.toString(), "--config", config.toString());
            assertThat(r.code()).as(command).isEqualTo(2);
            List<String> lines = (r.out() + r.err()).lines().filter(l -> l.contains("MaxFilesPerProject")).toList();
            assertThat(lines).as(command).containsExactly(
                    "aar: the archive holds 4 indexable files, more than ScaleLimits.MaxFilesPerProject = 3"
                            + " [archive.too_many_files]");
        }
    }

    @Test
    void aRepositoryZippedWithItsNodeModulesIsReviewed() throws IOException {
        Path zip = dir.resolve("with-node-modules.zip");
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os)) {
            // more entries than MaxFilesPerProject (50,000), as a JavaScript repository zipped with its dependencies
            for (int i = 0; i < 60_000; i++) {
                entry(z, "node_modules/pkg" + (i / 100) + "/m" + i + ".js", "module.exports = " + i + ";");
            }
            for (int i = 0; i < 5; i++) {
                entry(z, "src/f" + i + ".js", "export function f" + i + "(a) { return a + " + i + "; }");
            }
        }
        Path out = dir.resolve("nm");
        Run r = run("analyze", zip.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(new ObjectMapper().readTree(out.resolve("report.json").toFile()).at("/preflight/fileCount").asInt())
                .isEqualTo(5);
    }

    @Test
    void badArgumentsAreRefusedWithExitTwo() throws IOException {
        Run priority = run("analyze", project().toString(), "--out", dir.resolve("out").toString(), "--priority", "Urgent");
        assertThat(priority.code()).isEqualTo(2);
        assertThat(priority.err()).contains("priority must be one of");
        Run missing = run("analyze", dir.resolve("nope.zip").toString(), "--out", dir.resolve("out").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
    }

    @Test
    void searchWithoutAnIndexIsRefused() {
        Run r = run("search", dir.resolve("nothing").toString(), "anything");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("holds no index");
    }

    @Test
    void searchSnippetsAndTheWrittenReportsShowNoSecret() throws IOException {
        String body = "MIIEowIBAAKCAQEAx3vQk9Zp2bLr8WmT4nKd7Hs1Yq0Fj6Uc5Rg2Tn9Lw3Ev8Pa";
        String token = "Zq8Lm3Vt7Rw2Ks9Np4Jx6Hb1Gc5Fd0Ay3Eu7";
        Path zip = dir.resolve("keys.zip");
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os)) {
            entry(z, "deploy/server.key", "-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n" + body
                    + "\n-----END RSA PRIVATE KEY-----\n");
            entry(z, "src/Keys.java", "class Keys { String k = \"-----BEGIN PRIVATE KEY-----\\n" + body
                    + "\\n-----END PRIVATE KEY-----\"; }\n");
            entry(z, "package.json", "{\"dependencies\": {\"lib\": \"git+https://acme:ghp_" + token
                    + "@github.com/acme/lib.git\"}}\n");
        }
        Path out = dir.resolve("out");
        Run r = run("analyze", zip.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();

        Run search = run("search", out.toString(), "private key lib", "-k", "10");
        assertThat(search.code()).as(search.err()).isZero();
        assertThat(search.out()).contains("deploy/server.key:", "-----BEGIN RSA PRIVATE KEY-----********");
        for (String text : List.of(search.out(), r.out(), r.err(), Files.readString(out.resolve("report.json")),
                Files.readString(out.resolve("report.html")), Files.readString(out.resolve("report.md")))) {
            assertThat(text).doesNotContain(body.substring(20, 36)).doesNotContain(token.substring(4, 20));
        }
    }
}
