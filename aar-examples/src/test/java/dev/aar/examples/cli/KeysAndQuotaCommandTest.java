package dev.aar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.testing.RequiredService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code aar keys} and {@code aar quota} run in-process with picocli against a running
 * {@code aar serve} (key file, SQLite) and against databases directly (SQLite, PostgreSQL);
 * the serve banner and the key-file warning.
 */
class KeysAndQuotaCommandTest {

    private static final Pattern SECRET = Pattern.compile("\\baar_[A-Za-z0-9_-]{40,}");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> schemas = new ArrayList<>();

    private record Run(int code, String out, String err) {
    }

    private static Run aar(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = AarCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private record Started(ServeNode node, String out, String err) {
    }

    private Started serve(String... extra) throws Exception {
        ServeCommand command = new ServeCommand();
        CommandLine cli = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of("--port", "0", "--data", data().toString()));
        args.addAll(List.of(extra));
        cli.parseArgs(args.toArray(String[]::new));
        return new Started(command.start(), out.toString(), err.toString());
    }

    private Path data() {
        return dir.resolve("data");
    }

    private int status(ServeNode node, String method, String path, String key) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .header("X-Api-Key", key).method(method, HttpRequest.BodyPublishers.noBody());
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private HttpResponse<String> get(ServeNode node, String path, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .header("X-Api-Key", key).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String secretIn(String out) {
        Matcher m = SECRET.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group();
    }

    private static String idIn(String out) {
        Matcher m = ID.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group();
    }

    @AfterEach
    void dropSchemas() throws Exception {
        for (String schema : schemas) {
            sql(POSTGRES, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void keysInTheFileChangeARunningServerWithoutARestart() throws Exception {
        Started started = serve();
        try (ServeNode node = started.node()) {
            String first = secretIn(started.out());
            assertThat(started.out()).contains("with the approve right", "api keys:    in the file ");
            Path file = data().resolve(ServeCommand.KEYS_FILE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(started.err()).doesNotContain("WARNING");

            Run list = aar("keys", "list", "--data", data().toString());
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out()).contains("default", "first key (aar serve)", "approve", "active").doesNotContain(first);

            Run created = aar("keys", "create", "team-b", "--name", "ci", "--data", data().toString());
            assertThat(created.code()).as(created.err()).isZero();
            String ci = secretIn(created.out());
            String ciId = idIn(created.out());
            assertThat(created.out()).contains("rights: none", "shown once");
            assertThat(Files.readString(file)).doesNotContain(ci, first);
            assertThat(status(node, "GET", "/api/v1/quota", ci)).as("a new key works at once").isEqualTo(200);
            assertThat(status(node, "POST", "/api/v1/preflight/" + UUID.randomUUID() + "/approve", ci)).isEqualTo(403);

            Run rotated = aar("keys", "rotate", ciId, "--grace", "1h", "--data", data().toString());
            assertThat(rotated.code()).as(rotated.err()).isZero();
            assertThat(rotated.out()).contains("the old secret works until");
            String ci2 = secretIn(rotated.out());
            assertThat(status(node, "GET", "/api/v1/quota", ci)).as("grace period").isEqualTo(200);
            assertThat(status(node, "GET", "/api/v1/quota", ci2)).isEqualTo(200);

            Run revoked = aar("keys", "revoke", ciId, "--data", data().toString());
            assertThat(revoked.code()).as(revoked.err()).isZero();
            assertThat(status(node, "GET", "/api/v1/quota", ci)).as("revoked at once").isEqualTo(401);
            assertThat(status(node, "GET", "/api/v1/quota", ci2)).isEqualTo(200);
            assertThat(aar("keys", "list", "--data", data().toString()).out()).contains("revoked ");
            assertThat(status(node, "GET", "/api/v1/quota", first)).isEqualTo(200);
            assertThat(aar("keys", "list", "--data", data().toString()).out())
                    .as("last use is recorded").containsPattern("first key \\(aar serve\\)\\s+approve\\s+\\S+\\s+20\\d\\d-");
        }
    }

    @Test
    void badArgumentsAreRefusedWithExitTwo() {
        Run unknownRight = aar("keys", "create", "org", "--right", "admin", "--data", data().toString());
        assertThat(unknownRight.code()).isEqualTo(2);
        assertThat(unknownRight.err()).contains("unknown right 'admin'; known: [approve]");
        Run unknownId = aar("keys", "revoke", "nope", "--data", data().toString());
        assertThat(unknownId.code()).isEqualTo(2);
        assertThat(unknownId.err()).contains("no API key with id nope");
        Run badGrace = aar("keys", "rotate", "nope", "--grace", "soon", "--data", data().toString());
        assertThat(badGrace.code()).isEqualTo(2);
        assertThat(badGrace.err()).contains("--grace must be");
        Run noLimit = aar("quota", "set", "org", "--data", data().toString());
        assertThat(noLimit.code()).isEqualTo(2);
        assertThat(noLimit.err()).contains("give at least one of --tokens, --projects, --storage");
        Run badSize = aar("quota", "set", "org", "--storage", "lots", "--data", data().toString());
        assertThat(badSize.code()).isEqualTo(2);
        assertThat(badSize.err()).contains("--storage must be a size");
        Run negative = aar("quota", "set", "org", "--tokens", "-5", "--data", data().toString());
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err()).contains("--tokens must be a whole number >= 0 or 'unlimited'");
    }

    @Test
    void anOpenKeyFileIsWarnedAboutAtStart() throws Exception {
        serve().node().close();
        Path file = data().resolve(ServeCommand.KEYS_FILE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Started again = serve();
        try (ServeNode node = again.node()) {
            assertThat(again.err()).contains("WARNING: the API key file", "readable by other users", "chmod 600");
        }
    }

    @Test
    void theBannerSaysWhenOrganizationsAreUnlimitedAndWhatTheDefaultIs() throws Exception {
        Started unlimited = serve();
        unlimited.node().close();
        assertThat(unlimited.out()).contains("quotas:      UNLIMITED for every organization without a quota row");

        Path config = Files.writeString(dir.resolve("appsettings.json"), """
                {"ScaleLimits": {"DefaultMonthlyTokenLimit": 2000000, "DefaultStorageLimitBytes": 1073741824}}""");
        Started limited = serve("--config", config.toString());
        try (ServeNode node = limited.node()) {
            assertThat(limited.out()).contains("quotas:      default per organization without a row: 2000000 tokens/month, "
                    + "unlimited projects/month, 1.0 GiB (1073741824 bytes) storage").doesNotContain("UNLIMITED");
            String key = secretIn(unlimited.out());
            HttpResponse<String> quota = get(node, "/api/v1/quota", key);
            assertThat(quota.body()).contains("\"monthlyTokenLimit\":2000000", "\"unlimited\":false");
        }
    }

    @Test
    void quotaSetOnTheQuickStartDatabaseCountsOnTheRunningServer() throws Exception {
        Started started = serve();
        try (ServeNode node = started.node()) {
            String key = secretIn(started.out());
            Run set = aar("quota", "set", "default", "--storage", "1KiB", "--tokens", "1000", "--data", data().toString());
            assertThat(set.code()).as(set.err()).isZero();
            assertThat(set.out()).contains("created the quota of organization \"default\"", "tokens:        0 of 1000",
                    "storage:       0 B of 1.0 KiB (1024 bytes)", "projects:      0 of unlimited");
            assertThat(get(node, "/api/v1/quota", key).body()).contains("\"storageLimitBytes\":1024",
                    "\"monthlyTokenLimit\":1000").as("an unlimited limit is left out").doesNotContain("monthlyProjectLimit");

            // a direct upload over the storage quota is refused, and nothing is kept or counted
            byte[] zip = dev.aar.examples.server.TestZips.smallProject();
            HttpResponse<String> upload = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.port() + "/api/v1/projects/upload?name=x"))
                    .header("X-Api-Key", key).header("Content-Type", "application/zip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4096])).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(429);
            assertThat(upload.body()).contains("quota.exceeded", "StorageLimitBytes");
            assertThat(zip).isNotEmpty();
            assertThat(aar("quota", "show", "default", "--data", data().toString()).out())
                    .contains("storage:       0 B of 1.0 KiB");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void quotaShowAndSetOnADatabase(String kind) throws Exception {
        String url = database(kind);
        Run none = aar("quota", "show", "acme", "--database-url", url);
        assertThat(none.code()).as(none.err()).isZero();
        assertThat(none.out()).contains("row:           none; the default applies (unlimited");

        Run set = aar("quota", "set", "acme", "--tokens", "5000000", "--projects", "20", "--storage", "10GiB",
                "--database-url", url);
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.out()).contains("created", "tokens:        0 of 5000000", "projects:      0 of 20",
                "storage:       0 B of 10.0 GiB (10737418240 bytes)");

        Run change = aar("quota", "set", "acme", "--projects", "unlimited", "--database-url", url);
        assertThat(change.code()).as(change.err()).isZero();
        assertThat(change.out()).contains("changed", "tokens:        0 of 5000000", "projects:      0 of unlimited",
                "10.0 GiB");
        assertThat(aar("quota", "show", "acme", "--database-url", url).out()).contains("row:           yes",
                "tokens:        0 of 5000000", "period start:");

        Path config = Files.writeString(dir.resolve("defaults.json"),
                "{\"ScaleLimits\": {\"DefaultMonthlyProjectLimit\": 3}}");
        Run withDefault = aar("quota", "set", "newco", "--tokens", "7", "--config", config.toString(), "--database-url", url);
        assertThat(withDefault.out()).as("a new row takes the default for limits not given")
                .contains("tokens:        0 of 7", "projects:      0 of 3", "of unlimited");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void keysInADatabase(String kind) throws Exception {
        String url = database(kind);
        Run notMigrated = aar("keys", "list", "--database-url", url);
        assertThat(notMigrated.code()).isEqualTo(2);
        assertThat(notMigrated.err()).contains("API keys need version 6: run aar db migrate");
        assertThat(aar("db", "migrate", "--database-url", url).code()).isZero();

        assertThat(aar("keys", "list", "--database-url", url).out()).contains("no API keys in the database");
        Run created = aar("keys", "create", "acme", "--name", "release bot", "--right", "approve", "--database-url", url);
        assertThat(created.code()).as(created.err()).isZero();
        String id = idIn(created.out());
        String secret = secretIn(created.out());
        Run list = aar("keys", "list", "--json", "--database-url", url);
        assertThat(list.out()).contains("\"organizationId\" : \"acme\"", "\"name\" : \"release bot\"",
                "\"rights\" : [ \"approve\" ]", "\"status\" : \"active\"").doesNotContain(secret);
        assertThat(sqlCount(url, "SELECT count(*) FROM api_keys WHERE key_sha256 = '"
                + dev.aar.examples.server.Sha256.hex(secret) + "'")).isEqualTo(1);

        Run rotated = aar("keys", "rotate", id, "--database-url", url);
        assertThat(rotated.code()).as(rotated.err()).isZero();
        assertThat(rotated.out()).contains("the old secret is revoked", "rights: approve");
        assertThat(aar("keys", "list", "--database-url", url).out()).contains("revoked ", "active");
        assertThat(aar("keys", "revoke", idIn(rotated.out().substring(rotated.out().indexOf(" into "))), "--database-url", url)
                .code()).isZero();
        assertThat(aar("keys", "list", "--database-url", url).out()).doesNotContain(" active");
    }

    @Test
    void aServeWithAConfiguredDatabaseKeepsItsKeysThereAndSeesTheCliAtOnce() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("shared.db");
        Path config = Files.writeString(dir.resolve("appsettings.json"),
                "{\"Connections\": {\"DatabaseUrl\": \"" + url + "\"}}");
        Files.createDirectories(data());
        Files.writeString(data().resolve(ServeCommand.KEYS_FILE), "[]");
        Started started = serve("--config", config.toString());
        try (ServeNode node = started.node()) {
            assertThat(started.out()).contains("api keys:    in the database (table api_keys)");
            assertThat(started.err()).as("a key file left from before is named, not silently ignored")
                    .contains("WARNING: the API keys in", "are not used", "aar keys create");
            assertThat(Files.readString(data().resolve(ServeCommand.KEYS_FILE))).isEqualTo("[]");
            Run created = aar("keys", "create", "default", "--config", config.toString());
            String secret = secretIn(created.out());
            assertThat(status(node, "GET", "/api/v1/quota", secret)).isEqualTo(200);
            assertThat(aar("keys", "revoke", idIn(created.out()), "--config", config.toString()).code()).isZero();
            assertThat(status(node, "GET", "/api/v1/quota", secret)).isEqualTo(401);
        }
    }

    /** A fresh, empty database of the given kind: a SQLite file not yet created, or a new PostgreSQL schema. */
    private String database(String kind) throws Exception {
        if (kind.equals("sqlite")) {
            return "jdbc:sqlite:" + dir.resolve("db-" + UUID.randomUUID()).resolve("aar.db");
        }
        RequiredService.requirePostgres();
        String schema = "aar_keyscli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql(POSTGRES, "CREATE SCHEMA " + schema);
        schemas.add(schema);
        return POSTGRES + "&currentSchema=" + schema;
    }

    private static void sql(String url, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static long sqlCount(String url, String query) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                var rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
