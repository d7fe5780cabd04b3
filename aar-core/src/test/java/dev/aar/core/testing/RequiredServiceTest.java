package dev.aar.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequiredServiceTest {

    @Test
    void aListeningServiceLetsTheTestRun() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RequiredService.require("Fake", "127.0.0.1", server.getLocalPort(), "it is running");
        }
    }

    @Test
    void aMissingServiceSkipsLocallyAndFailsUnderCi() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort(); // closed again: nothing listens there now
        }
        int closedPort = port;

        Throwable outcome = catchThrowable(() -> RequiredService.require("Fake", "127.0.0.1", closedPort, "start it"));

        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        assertThat(outcome).isInstanceOf(ci ? AssertionFailedError.class : TestAbortedException.class)
                .hasMessageContaining("Fake is not reachable at 127.0.0.1:" + closedPort + " (start it)");
    }
}
