package dev.aar.core.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Gate for tests that need a real service (PostgreSQL, Azurite, ...): they run whenever the
 * service is reachable; otherwise they are skipped locally, but under {@code CI=true} an
 * unreachable service fails the test, so CI never passes by skipping.
 */
public final class RequiredService {

    private RequiredService() {
    }

    /** Requires a TCP listener at {@code host:port}; {@code name} and {@code hint} go into the message. */
    public static void require(String name, String host, int port, String hint) {
        boolean reachable = reachable(host, port);
        if (reachable) {
            return;
        }
        String message = name + " is not reachable at " + host + ":" + port + " (" + hint + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + "; CI=true, so this is a failure, not a skip");
        }
        assumeTrue(false, message + "; skipped (set CI=true to make this a failure)");
    }

    /** Requires PostgreSQL on 127.0.0.1:5432. */
    public static void requirePostgres() {
        require("PostgreSQL", "127.0.0.1", 5432,
                "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
    }

    /** Requires Azurite's blob endpoint on 127.0.0.1:10000. */
    public static void requireAzurite() {
        require("Azurite", "127.0.0.1", 10000, "start it with: .ci/start-azurite");
    }

    static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
