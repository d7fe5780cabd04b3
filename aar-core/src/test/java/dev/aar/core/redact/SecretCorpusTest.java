package dev.aar.core.redact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.project.Project;
import dev.aar.core.report.Report;
import dev.aar.core.report.ReportFormat;
import dev.aar.core.report.internal.ReportWriter;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.embedding.ScoredChunk;
import dev.aar.queue.JobPriority;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project with one file per secret shape goes through a real analysis; no secret's bytes (nor any
 * 8-character piece of a secret's random part) may appear in report.json, report.html, report.md, in
 * any event a listener receives, or in the snippets {@code aar search} displays for the indexed chunks.
 */
class SecretCorpusTest {

    private static final String OWNER = "org-corpus";
    private static final int PIECE = 8;

    @TempDir
    Path data;

    @TempDir
    Path out;

    private final Random random = new Random(20261207);
    /** The random part of every planted secret, by the shape that carries it. */
    private final Map<String, List<String>> secrets = new LinkedHashMap<>();
    private final Map<String, String> files = new LinkedHashMap<>();

    @Test
    void noSecretLeavesThroughAReportAnEventOrASearchSnippet() throws Exception {
        plantCorpus();
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        CompletableFuture<JobCompleted> completed = new CompletableFuture<>();
        try (Aar aar = Aar.builder().config(AarConfig.defaults()).dataDirectory(data).listener(e -> {
            events.add(e);
            if (e instanceof JobCompleted c) {
                completed.complete(c);
            }
        }).build()) {
            Project project = aar.analysis().createProject(OWNER, "corpus.zip", new ByteArrayInputStream(zip(files)));
            aar.startWorkers();
            aar.analysis().submit(OWNER, project.id(), JobPriority.HIGH);
            JobCompleted done = completed.get(120, TimeUnit.SECONDS);
            assertThat(done.isSuccess()).as(done.error()).isTrue();

            Report report = aar.analysis().report(OWNER, done.reportId()).orElseThrow();
            // every event before JobCompleted was delivered to this listener before it, in order
            // the analysis really saw the secrets: one finding per planted file at least
            assertThat(report.findings()).filteredOn(f -> f.rule().startsWith("secret"))
                    .extracting(f -> f.file()).hasSizeGreaterThanOrEqualTo(secrets.size() - 4);

            Map<String, String> outputs = new LinkedHashMap<>();
            Map<ReportFormat, Path> written = ReportWriter.write(report, out);
            assertThat(written).hasSize(3);
            for (Map.Entry<ReportFormat, Path> w : written.entrySet()) {
                outputs.put("report " + w.getKey(), Files.readString(w.getValue()));
            }
            for (ProgressEvent e : events) {
                outputs.merge("events", e.toString() + "\n", String::concat);
            }
            float[] query = OfflineEmbeddingProvider.create().embed(List.of("secret key token password")).vectors().get(0);
            List<ScoredChunk> chunks = Collaborators.of(aar).embeddingStore().search(project.id(), query, 1000);
            assertThat(chunks).extracting(c -> c.chunk().file()).containsAll(files.keySet());
            for (ScoredChunk c : chunks) {
                outputs.merge("search snippets", Redactor.snippet(c.chunk().text(), c.chunk().file(), 100) + "\n",
                        String::concat);
            }

            List<String> leaks = new ArrayList<>();
            outputs.forEach((where, text) -> secrets.forEach((shape, parts) -> {
                for (String part : parts) {
                    for (int i = 0; i + PIECE <= part.length(); i++) {
                        String piece = part.substring(i, i + PIECE);
                        if (text.contains(piece)) {
                            leaks.add(shape + " leaks '" + piece + "' in " + where);
                            break;
                        }
                    }
                }
            }));
            assertThat(leaks).isEmpty();
        }
    }

    private void plantCorpus() {
        String[] keyLines = {base64(64), base64(64), base64(64), base64(28) + "=="};
        String pemBody = String.join("\n", keyLines);
        secret("pem, multi-line", "deploy/server.key", "-----BEGIN RSA PRIVATE KEY-----\n" + pemBody
                + "\n-----END RSA PRIVATE KEY-----\n", keyLines);
        String[] javaLines = {base64(64), base64(40)};
        secret("pem, one line in a Java string", "src/main/java/app/Keys.java",
                "class Keys { static final String KEY = \"-----BEGIN PRIVATE KEY-----\\n" + javaLines[0] + "\\n"
                        + javaLines[1] + "\\n-----END PRIVATE KEY-----\"; }\n", javaLines);
        String encoded = Base64.getEncoder().encodeToString(("-----BEGIN EC PRIVATE KEY-----\n" + base64(64)
                + "\n-----END EC PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII));
        secret("pem, base64 in configuration", "deploy/values.yaml", "tlsKey: " + encoded + "\nreplicas: 2\n",
                encoded.substring(14));
        String gitToken = alnum(36);
        secret("token in a package.json git URL", "package.json", "{\"name\": \"shop\", \"dependencies\": "
                + "{\"lib\": \"git+https://acme:ghp_" + gitToken + "@github.com/acme/lib.git\", \"left-pad\": \"1.3.0\"}}\n",
                gitToken);
        String jdbc = alnum(20);
        secret("password in a JDBC URL", "src/main/resources/application.properties",
                "spring.datasource.url=jdbc:postgresql://app:" + jdbc + "@db:5432/shop\n", jdbc);
        String dotnet = alnum(18);
        secret("password in a .NET connection string", "appsettings.json", "{\"ConnectionStrings\": {\"Db\": "
                + "\"Server=db;User Id=app;Password=" + dotnet + ";Encrypt=true\"}}\n", dotnet);
        String azure = base64(86);
        secret("Azure storage account key", "conf/storage.json", "{\"conn\": \"DefaultEndpointsProtocol=https;"
                + "AccountName=shop;AccountKey=" + azure + "==;EndpointSuffix=core.windows.net\"}\n", azure);
        String sig = alnum(43);
        secret("Azure shared access signature", "conf/blob.properties", "blob.connection=BlobEndpoint=https://shop"
                + ".blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&sp=rl&sig=" + sig + "%3D\n", sig);
        String awsId = upperDigits(16);
        secret("AWS access key id", "config/aws_id.py", "AWS_ACCESS_KEY_ID = \"AKIA" + awsId + "\"\n", awsId);
        String awsSecret = base64(40);
        secret("AWS secret access key", "config/aws_secret.py", "aws_secret_access_key = \"" + awsSecret + "\"\n",
                awsSecret);
        for (String prefix : List.of("ghp_", "gho_", "ghs_")) {
            String token = alnum(36);
            secret("GitHub " + prefix + " token", "src/github_" + prefix.charAt(2) + ".ts",
                    "export const token = \"" + prefix + token + "\";\n", token);
        }
        String pat = alnum(22) + "_" + alnum(59);
        secret("GitHub fine-grained token", "src/github_pat.ts", "const pat = \"github_pat_" + pat + "\";\n", pat);
        String gitlab = alnum(20);
        secret("GitLab token", ".gitlab-ci.yml", "  GITLAB_TOKEN: glpat-" + gitlab + "\n", gitlab);
        String slack = digits(12) + "-" + digits(13) + "-" + alnum(24);
        secret("Slack token", "src/slack.js", "const slack = 'xoxb-" + slack + "';\n", slack);
        String google = alnum(35);
        secret("Google API key", "src/Maps.kt", "val mapsKey = \"AIza" + google + "\"\n", google);
        String openai = alnum(48);
        secret("OpenAI key", "src/ai.py", "client = OpenAI(api_key=\"sk-proj-" + openai + "\")\n", openai);
        String jwtPayload = alnum(40);
        String jwtSignature = alnum(43);
        secret("JSON Web Token", "src/auth.go", "var token = \"eyJhbGciOiJIUzI1NiJ9.eyJ" + jwtPayload + "."
                + jwtSignature + "\"\n", jwtPayload, jwtSignature);
        String stripe = alnum(24);
        secret("Stripe live key", "src/pay.rb", "Stripe.api_key = 'sk_live_" + stripe + "'\n", stripe);
        String envDb = alnum(16);
        String envSession = alnum(32);
        String envSalt = alnum(12);
        secret(".env values", ".env", "DATABASE_URL=postgres://app:" + envDb + "@db/shop\nSESSION_SECRET=" + envSession
                + "\nSIGNING_SALT=" + envSalt + "\n", envDb, envSession, envSalt);
        String password = alnum(14);
        secret("password assigned in code", "src/main/java/app/Db.java",
                "class Db { private String password = \"" + password + "\"; }\n", password);
        String bearer = alnum(40);
        secret("bearer token in a script", "scripts/call.sh", "curl -H \"Authorization: Bearer " + bearer
                + "\" https://api.shop.example/orders\n", bearer);
        String npm = alnum(36);
        secret("npm token", ".npmrc", "//registry.npmjs.org/:_authToken=npm_" + npm + "\n", npm);
        String xml = alnum(15);
        secret("password in Maven settings", "settings.xml", "<settings><servers><server><id>repo</id>"
                + "<password>" + xml + "</password></server></servers></settings>\n", xml);
        files.put("src/main/java/app/Shop.java", "package app;\n\nclass Shop {\n    int total() { return 1; }\n}\n");
    }

    private void secret(String shape, String file, String content, String... parts) {
        files.put(file, content);
        secrets.put(shape, List.of(parts));
    }

    private String alnum(int n) {
        return pick(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    }

    private String base64(int n) {
        return pick(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    }

    private String upperDigits(int n) {
        return pick(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    }

    private String digits(int n) {
        return pick(n, "0123456789");
    }

    /** Random characters of {@code alphabet}, always with an upper-case letter, a lower-case one and a digit where the alphabet has them. */
    private String pick(int n, String alphabet) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        if (n >= 6 && alphabet.contains("a")) {
            b.replace(0, 3, "Q7" + (alphabet.contains("a") ? "k" : "Z"));
        }
        return b.toString();
    }

    private static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
