package dev.aar.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsAnalyzerTest {

    // built by concatenation so this file does not itself look like it leaks secrets
    static final String AWS_ID = "AKIA" + "Q3EGRTZ7MXN2LB4K";
    static final String AWS_SECRET = "q8Lw3J/Ttx7Yb2Vn" + "Pz4RkM6sHd9GfCa1Ue5WoXi0";
    static final String GITHUB = "ghp_" + "R4nd0mT0k3nV4lu3sAbCdEfGhIjKlMnOpQrSt";
    static final String SLACK = "xoxb-" + "2948571038-8374650192-aB3dE5fG7hJ9kL1m";
    static final String GCP = "AIza" + "SyD4f8Kq9Zx2Vb7Nm3Lp6Hj1Gt5Rc0We8Ya";
    static final String JWT = "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiJ1c2VyLTEyMyJ9" + ".c2lnbmF0dXJlLXZhbHVlLWhlcmU";
    static final String AZURE_KEY = "Zm9vYmFyYmF6cXV4".repeat(5) + "Zm9vYm==";
    static final String DB_PASSWORD = "S3cr3t-Pa55";
    static final String KEY_BODY = "MIIEowIBAAKCAQEA7bq98Ys3Kx9LmQ2Vx4RtWn8PzH1JcD5Fu6Ge0Ak";

    @TempDir
    Path dir;

    private final SecretsAnalyzer analyzer = new SecretsAnalyzer();

    @Test
    void findsEachKindOfSecretAndMasksIt() {
        List<Finding> findings = new Fixture(dir)
                .file("src/Config.java",
                        "class Config {",
                        "  String awsId = \"" + AWS_ID + "\";",
                        "  String awsSecretKey = \"" + AWS_SECRET + "\";",
                        "  String gh = \"" + GITHUB + "\";",
                        "  String slack = \"" + SLACK + "\";",
                        "  String gcp = \"" + GCP + "\";",
                        "  String token = \"" + JWT + "\";",
                        "  String db = \"postgres://app:" + DB_PASSWORD + "@db.internal:5432/app\";",
                        "  private String password = \"" + DB_PASSWORD + "\";",
                        "}")
                .file("deploy/key.pem", "-----BEGIN RSA PRIVATE KEY-----", KEY_BODY, "-----END RSA PRIVATE KEY-----")
                .file("conf/app.properties", "db.url=jdbc:postgresql://db/app", "db.password=" + DB_PASSWORD)
                .file("conf/storage.json", "{ \"conn\": \"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey="
                        + AZURE_KEY + ";EndpointSuffix=core.windows.net\" }")
                .file("conf/sql.cs", "var cs = \"Server=db;User Id=sa;Password=" + DB_PASSWORD + ";\";")
                .run(analyzer);

        assertThat(findings).extracting(Finding::rule).contains("secret-aws-access-key", "secret-aws-secret-key",
                "secret-github-token", "secret-slack-token", "secret-gcp-api-key", "secret-jwt",
                "secret-connection-string", "secret-password", "secret-private-key", "secret-azure-storage-key");
        assertThat(findings).filteredOn(f -> f.file().equals("conf/app.properties")).singleElement()
                .satisfies(f -> assertThat(f.line()).isEqualTo(2));
        assertThat(findings).filteredOn(f -> f.file().equals("conf/sql.cs")).singleElement()
                .satisfies(f -> assertThat(f.rule()).isEqualTo("secret-connection-string"));
        assertThat(findings).filteredOn(f -> f.rule().equals("secret-private-key")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.CRITICAL));

        for (Finding f : findings) {
            for (String secret : List.of(AWS_ID, AWS_SECRET, GITHUB, SLACK, GCP, JWT, AZURE_KEY, DB_PASSWORD, KEY_BODY)) {
                assertThat(f.description()).doesNotContain(secret);
                assertThat(f.evidence()).doesNotContain(secret);
            }
        }
        assertThat(findings).filteredOn(f -> f.rule().equals("secret-github-token")).singleElement()
                .satisfies(f -> assertThat(f.evidence()).isEqualTo("String gh = \"ghp_********\";"));
    }

    @Test
    void findsSecretsOnTheRightLinesWhenLowerCasingChangesTheTextsLength() {
        // "İ" lower-cases to two chars, "Σ" by its context: the lines' positions in the lower-cased file shift
        List<Finding> findings = new Fixture(dir)
                .file("src/İstanbul.java",
                        "// İİİ ΣΑΣ οδόΣ",
                        "String gh = \"" + GITHUB + "\"; // İ",
                        "",
                        "String İd = \"İ\"; String aws = \"" + AWS_ID + "\";",
                        "String none = \"KEY\"; // a hint, no secret",
                        "token: " + JWT)
                .run(analyzer);
        assertThat(findings).extracting(Finding::rule, Finding::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple("secret-github-token", 2),
                org.assertj.core.groups.Tuple.tuple("secret-aws-access-key", 4),
                org.assertj.core.groups.Tuple.tuple("secret-jwt", 6));
    }

    @Test
    void masksEverySecretOnALineInEveryFindingOfThatLine() {
        List<Finding> findings = new Fixture(dir)
                .file("a.py", "creds = {'aws': '" + AWS_ID + "', 'gh': '" + GITHUB + "'}")
                .run(analyzer);
        assertThat(findings).hasSize(2).allSatisfy(f -> assertThat(f.evidence())
                .doesNotContain(AWS_ID).doesNotContain(GITHUB).contains("AKIA********").contains("ghp_********"));
    }

    @Test
    void ignoresPlaceholdersAndEnvironmentReferences() {
        List<Finding> findings = new Fixture(dir)
                .file("src/Settings.java",
                        "class Settings {",
                        "  String password = \"\";",
                        "  String dbPassword = \"changeme\";",
                        "  String apiKey = \"<your-api-key>\";",
                        "  String secret = \"${APP_SECRET}\";",
                        "  String token = \"{{ token }}\";",
                        "  String pwd = \"xxxxxxxx\";",
                        "  String clientSecret = System.getenv(\"CLIENT_SECRET\");",
                        "  String label = \"password\";",
                        "  if (password == \"hunter2hunter2\") {}",
                        "  void set(Pp pp) { password = pp.getPassword(); this.x = 1; password = pp.get(); }",
                        "}")
                .file("config/application.yml", "spring:", "  datasource:", "    password: ${DB_PASSWORD}",
                        "    api-key: \"\"", "  token: $TOKEN")
                .file(".env.example", "API_KEY=your_api_key_here", "DB_PASSWORD=")
                .file("docker-compose.yml", "DATABASE_URL: postgres://user:${PGPASSWORD}@db/app")
                .run(analyzer);
        assertThat(findings).isEmpty();
    }

    @Test
    void ignoresKeysMarkedAsExamples() {
        List<Finding> findings = new Fixture(dir)
                .file("README.md", "# Setup", "For example, your key looks like this:", "",
                        "    aws_access_key_id = " + AWS_ID,
                        "Sample token: " + GITHUB,
                        "",
                        "", "", "Our deploy key: " + SLACK)
                .file("docs/aws.txt", "AKIAIOSFODNN7EXAMPLE is the documented example key id")
                .file("docs/pem.md", "-----BEGIN PRIVATE KEY-----", "...", "-----END PRIVATE KEY-----")
                .run(analyzer);
        // only the unmarked token in the README stays
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("secret-slack-token");
            assertThat(f.line()).isEqualTo(9);
        });
    }

    @Test
    void lowersSeverityInTestCodeAndFixtures() {
        List<Finding> findings = new Fixture(dir)
                .file("src/test/java/app/ClientTest.java", "class ClientTest { String k = \"" + AWS_ID + "\"; }")
                .file("tests/fixtures/creds.json", "{\"password\": \"" + DB_PASSWORD + "\"}")
                .file("web/login.spec.ts", "const token = '" + JWT + "';")
                .run(analyzer);
        assertThat(findings).hasSize(3).allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Severity.LOW);
            assertThat(f.description()).contains("in test code");
        });
    }

    @Test
    void findsAPrivateKeyWrittenOnOneLineAndShowsOnlyItsHeader() {
        List<Finding> findings = new Fixture(dir)
                .file("src/Keys.java", "class Keys {",
                        "  static final String KEY = \"-----BEGIN RSA PRIVATE KEY-----\\n" + KEY_BODY + "\\n" + KEY_BODY
                                + "\\n-----END RSA PRIVATE KEY-----\";",
                        "  static final String NEXT = \"x\";",
                        "}")
                .run(analyzer);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("secret-private-key");
            assertThat(f.line()).isEqualTo(2);
            assertThat(f.evidence()).isEqualTo("static final String KEY = \"-----BEGIN RSA PRIVATE KEY-----********"
                    + "-----END RSA PRIVATE KEY-----\";");
            assertThat(f.description()).doesNotContain(KEY_BODY.substring(0, 8));
        });
    }

    @Test
    void findsABase64EncodedPrivateKeyInConfiguration() {
        String encoded = java.util.Base64.getEncoder().encodeToString(("-----BEGIN PRIVATE KEY-----\n" + KEY_BODY
                + "\n-----END PRIVATE KEY-----\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String certificate = java.util.Base64.getEncoder().encodeToString(("-----BEGIN CERTIFICATE-----\n" + KEY_BODY
                + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        List<Finding> findings = new Fixture(dir)
                .file("deploy/values.yaml", "tls:", "  key: " + encoded, "  cert: " + certificate)
                .run(analyzer);

        assertThat(findings).filteredOn(f -> f.rule().equals("secret-private-key")).singleElement().satisfies(f -> {
            assertThat(f.line()).isEqualTo(2);
            assertThat(f.evidence()).isEqualTo("key: ********");
        });
    }

    @Test
    void findsGitLabOpenAiStripeAndSasTokensAndATokenInAGitUrl() {
        String gitlab = "glpat-" + "Zq8Lm3Vt7Rw2Ks9Np4Jx";
        String openai = "sk-" + "proj-Zq8Lm3Vt7Rw2Ks9Np4Jx6Hb1Gc5Fd0Ay3Eu7";
        String stripe = "sk_live_" + "Zq8Lm3Vt7Rw2Ks9Np4Jx6Hb1";
        String sig = "AbC3dEf9Gh1JkL5mNoP7qRsT%2BuV%3D";
        List<Finding> findings = new Fixture(dir)
                .file("src/clients.ts", "const gl = '" + gitlab + "';", "const ai = '" + openai + "';",
                        "const pay = '" + stripe + "';",
                        "const blob = 'https://acct.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=" + sig + "';")
                .file("package.json", "{ \"dependencies\": { \"lib\": \"git+https://acme:" + GITHUB
                        + "@github.com/acme/lib.git\" } }")
                .run(analyzer);

        assertThat(findings).extracting(Finding::rule).contains("secret-gitlab-token", "secret-openai-key",
                "secret-stripe-key", "secret-azure-sas", "secret-github-token");
        assertThat(findings).filteredOn(f -> f.file().equals("package.json")).singleElement()
                .satisfies(f -> assertThat(f.evidence()).contains("git+https://acme:********@github.com"));
        for (Finding f : findings) {
            for (String secret : List.of(gitlab, openai, stripe, sig, GITHUB)) {
                assertThat(f.evidence() + f.description()).doesNotContain(secret.substring(6, 14));
            }
        }
    }

    @Test
    void aTokenDescriptionShowsOnlyItsVendorPrefix() {
        List<Finding> findings = new Fixture(dir).file("a.py", "aws_secret = '" + AWS_SECRET + "'").run(analyzer);

        assertThat(findings).isNotEmpty().allSatisfy(f -> assertThat(f.description()).doesNotContain(AWS_SECRET.substring(0, 4)));
    }
}
