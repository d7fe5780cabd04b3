package dev.aar.core.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {

    static final String BODY = "MIIEowIBAAKCAQEAx3vQk9Zp2bLr8WmT4nKd7Hs1Yq0Fj6Uc5Rg2Tn9Lw3Ev8Pa";
    static final String GH = "ghp_" + "Zq8Lm3Vt7Rw2Ks9Np4Jx6Hb1Gc5Fd0Ay3Eu7";

    @Test
    void masksAMultiLinePemBodyAndKeepsItsHeaderAndFooter() {
        String pem = "-----BEGIN RSA PRIVATE KEY-----\n" + BODY + "\n" + BODY + "\n-----END RSA PRIVATE KEY-----\nnext";

        String masked = Redactor.redact(pem);

        assertThat(masked).isEqualTo("-----BEGIN RSA PRIVATE KEY-----********-----END RSA PRIVATE KEY-----\nnext");
    }

    @Test
    void masksAPemWrittenOnOneLineWithEscapedLineBreaks() {
        String line = "String key = \"-----BEGIN RSA PRIVATE KEY-----\\n" + BODY + "\\n-----END RSA PRIVATE KEY-----\";";

        assertThat(Redactor.redact(line))
                .isEqualTo("String key = \"-----BEGIN RSA PRIVATE KEY-----********-----END RSA PRIVATE KEY-----\";")
                .doesNotContain(BODY.substring(10, 30));
    }

    @Test
    void masksEverythingAfterAHeaderWithoutFooter() {
        assertThat(Redactor.redact("key: -----BEGIN PRIVATE KEY-----\\n" + BODY))
                .isEqualTo("key: -----BEGIN PRIVATE KEY-----********");
    }

    @Test
    void masksABase64EncodedPem() {
        String encoded = Base64.getEncoder().encodeToString(("-----BEGIN OPENSSH PRIVATE KEY-----\n" + BODY + "\n")
                .getBytes(StandardCharsets.US_ASCII));

        assertThat(Redactor.redact("private_key_b64: " + encoded)).isEqualTo("private_key_b64: ********");
        assertThat(Redactor.redact("x " + encoded + " y")).isEqualTo("x ******** y");
    }

    @Test
    void masksAPemBodyLineSeenWithoutItsHeader() {
        assertThat(Redactor.redact(BODY + "\n" + BODY)).isEqualTo("********\n********");
    }

    @Test
    void masksThePasswordOfAUrlAndAUserThatIsAToken() {
        assertThat(Redactor.redact("\"lib\": \"git+https://acme:" + GH + "@github.com/acme/lib.git\""))
                .isEqualTo("\"lib\": \"git+https://acme:********@github.com/acme/lib.git\"");
        assertThat(Redactor.redact("postgresql://app:s3cr3t-P4ss@db:5432/app"))
                .isEqualTo("postgresql://app:********@db:5432/app");
        assertThat(Redactor.redact("https://" + GH + "@github.com/x.git")).isEqualTo("https://********@github.com/x.git");
        assertThat(Redactor.redact("https://github.com/acme/lib.git and ssh://git@host/x"))
                .isEqualTo("https://github.com/acme/lib.git and ssh://git@host/x");
    }

    @Test
    void masksConnectionStringValues() {
        assertThat(Redactor.redact("Server=db;User Id=app;Password=Hunter2Hunter2;Encrypt=true"))
                .isEqualTo("Server=db;User Id=app;Password=********;Encrypt=true");
        String key = "q".repeat(20) + "Zx9Kp2Lm7Nv4Bc8Rt1Ws6Yh3Jg5Df0Ae" + "k".repeat(33) + "==";
        assertThat(Redactor.redact("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + key
                + ";EndpointSuffix=core.windows.net"))
                .isEqualTo("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=********;EndpointSuffix=core.windows.net");
        assertThat(Redactor.redact("BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&sig=AbC%2Fdef123"))
                .isEqualTo("BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=********");
        assertThat(Redactor.redact("https://a.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=AbC%2Fdef123&se=1"))
                .isEqualTo("https://a.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=********&se=1");
    }

    @Test
    void masksValuesOfTellingNamesButNotPlaceholders() {
        assertThat(Redactor.redact("String password = \"Tr0ub4dor&3\";")).isEqualTo("String password = \"********\";");
        assertThat(Redactor.redact("\"apiKey\": \"abc123def456\"")).isEqualTo("\"apiKey\": \"********\"");
        assertThat(Redactor.redact("client_secret: s3cr3tv4lue")).isEqualTo("client_secret: ********");
        assertThat(Redactor.redact("<password>hunter22</password>")).isEqualTo("<password>********</password>");
        assertThat(Redactor.redact("password: ${DB_PASSWORD}")).isEqualTo("password: ${DB_PASSWORD}");
        assertThat(Redactor.redact("token = \"<your-token>\"")).isEqualTo("token = \"<your-token>\"");
        assertThat(Redactor.redact("maxTokens = 500; tokens: 12")).isEqualTo("maxTokens = 500; tokens: 12");
        assertThat(Redactor.redact("Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345"))
                .isEqualTo("Authorization: Bearer ********");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "AKIA" + "Q3ZL7XK2M4NB5VW6",
            "ghp_" + "Zq8Lm3Vt7Rw2Ks9Np4Jx6Hb1Gc5Fd0Ay3Eu7",
            "gho_" + "Zq8Lm3Vt7Rw2Ks9Np4Jx6Hb1Gc5Fd0Ay3Eu7",
            "ghs_" + "Zq8Lm3Vt7Rw2Ks9Np4Jx6Hb1Gc5Fd0Ay3Eu7",
            "github_pat_" + "11ABCDEFG0Zq8Lm3Vt7Rw2_Ks9Np4Jx6Hb1Gc5Fd0Ay3Eu7",
            "glpat-" + "Zq8Lm3Vt7Rw2Ks9Np4Jx",
            "xoxb-" + "123456789012-1234567890123-Zq8Lm3Vt7Rw2Ks9Np4Jx",
            "AIza" + "SyZq8Lm3Vt7Rw2Ks9Np4Jx6Hb1Gc5Fd0Ay3E",
            "sk-" + "proj-Zq8Lm3Vt7Rw2Ks9Np4Jx6Hb1Gc5Fd0Ay3Eu7",
            "sk_live_" + "Zq8Lm3Vt7Rw2Ks9Np4Jx6Hb1",
            "npm_" + "Zq8Lm3Vt7Rw2Ks9Np4Jx6Hb1Gc5Fd0Ay3Eu7Qa",
            "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"})
    void masksTokenShapesKeepingOnlyTheVendorPrefix(String token) {
        String masked = Redactor.redact("value " + token + " end");

        assertThat(masked).endsWith("******** end").startsWith("value ");
        assertThat(masked.length()).isLessThan(("value " + token + " end").length());
        for (int i = 6; i + 8 <= token.length(); i++) {
            assertThat(masked).doesNotContain(token.substring(i, i + 8));
        }
    }

    @Test
    void masksAnAwsSecretKeyAndAnAzureKeyByTheirShape() {
        String aws = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8pL2mN4v";
        assertThat(Redactor.redact("aws_secret_access_key = " + aws)).isEqualTo("aws_secret_access_key = ********");
        assertThat(Redactor.redact("{\"key\":\"" + aws + "\"}")).isEqualTo("{\"key\":\"********\"}");
    }

    @Test
    void masksEveryValueOfADotenvFileOnly() {
        String env = "# settings\nDATABASE_URL=mysql://localhost/app\nexport STRIPE=abc123\nEMPTY=\nHOME_DIR=${HOME}\n";

        assertThat(Redactor.redact(env, "config/.env.production"))
                .isEqualTo("# settings\nDATABASE_URL=********\nexport STRIPE=********\nEMPTY=\nHOME_DIR=${HOME}\n");
        assertThat(Redactor.redact("LEVEL=debug", "app.properties")).isEqualTo("LEVEL=debug");
        assertThat(Redactor.isDotenv(".env")).isTrue();
        assertThat(Redactor.isDotenv("a/b/.envrc")).isTrue();
        assertThat(Redactor.isDotenv("src/environment.ts")).isFalse();
    }

    @Test
    void leavesOrdinaryTextAlone() {
        List<String> texts = List.of(
                "Module com.acme.orders imports com.acme.web, which the layering rules forbid.",
                "File has 1200 lines (limit 800): src/main/java/com/acme/shop/orders/OrderService2.java",
                "Maven manifest declaring 3 dependencies.",
                "org.springframework.boot:spring-boot-starter-web:3.2.1",
                "Hard-coded secret: a GitHub token (ghp_********). Revoke it.",
                "see https://docs.example.com/a/b/c?x=1 for more");
        for (String text : texts) {
            assertThat(Redactor.redact(text)).isEqualTo(text);
        }
    }

    @Test
    void shortensAbsolutePathsButNotUrlsOrProjectPaths() {
        assertThat(Redactor.redactPaths("extraction into /srv/aar-data/work/1/src failed: /srv/aar-data/work/1/src/a/b.txt: File name too long"))
                .isEqualTo("extraction into …/src failed: …/b.txt: File name too long");
        assertThat(Redactor.redactPaths("cannot open jdbc:sqlite:/var/lib/aar/aar.db")).isEqualTo("cannot open jdbc:sqlite:…/aar.db");
        assertThat(Redactor.redactPaths("C:\\data\\aar\\work\\x.zip is gone")).isEqualTo("…/x.zip is gone");
        assertThat(Redactor.redactPaths("read file:///home/alice/aar/keys.json")).isEqualTo("read …/keys.json");
        assertThat(Redactor.redactPaths("cannot create /srv/aar-data/work/ now")).isEqualTo("cannot create …/work now");
        String untouched = "see https://host/a/b and src/main/App.java, GET /api";
        assertThat(Redactor.redactPaths(untouched)).isEqualTo(untouched);
    }

    @Test
    void maskingIsIdempotent() {
        List<String> texts = List.of(
                "-----BEGIN RSA PRIVATE KEY-----\n" + BODY + "\n-----END RSA PRIVATE KEY-----",
                "https://acme:" + GH + "@github.com/x", "password=\"\"", "Password=abc;", "token: " + GH,
                "/srv/a/b c:\\x\\y", BODY);
        for (String text : texts) {
            String once = Redactor.forClient(text);
            assertThat(Redactor.forClient(once)).as(text).isEqualTo(once);
        }
    }

    @Test
    void maskingIsIdempotentOnRandomMixturesOfShapes() {
        String[] parts = {"-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----", "\\n", "\n", BODY, GH,
                "https://", "u:", "@", "password", "=", ": ", "\"", "'", "aws secret ", "eyJhbGciOiJIUzI1NiJ9.", "/srv/a",
                "C:\\x\\", "LS0tLS1CRUdJTi", " ", "x", "Q9z", ";", "&sig=", "AKIA", "Q3ZL7XK2M4NB5VW6", "${A}", "<b>"};
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 500; round++) {
            StringBuilder b = new StringBuilder();
            for (int i = random.nextInt(12); i >= 0; i--) {
                b.append(parts[random.nextInt(parts.length)]);
            }
            String once = Redactor.forClient(b.toString());
            assertThat(Redactor.forClient(once)).as(b.toString()).isEqualTo(once);
            assertThat(Redactor.redact(once, ".env")).as(b.toString()).isEqualTo(Redactor.redact(Redactor.redact(once, ".env"), ".env"));
        }
    }

    @Test
    void aSnippetIsTheFirstLineMaskedWithTheWholeChunkAsContext() {
        String chunk = "\n  -----BEGIN EC PRIVATE KEY-----\n" + BODY + "\n-----END EC PRIVATE KEY-----\n";
        assertThat(Redactor.snippet(chunk, "k.pem", 100)).isEqualTo("-----BEGIN EC PRIVATE KEY-----********-----END EC PRIVATE KEY-----");
        assertThat(Redactor.snippet("SECRET=abc\nX=1", ".env", 100)).isEqualTo("SECRET=********");
        assertThat(Redactor.snippet("abcdef", "a.txt", 3)).isEqualTo("abc…");
    }
}
