package dev.aar.examples.cli;

import picocli.CommandLine.Option;

/** The {@code --server URL --key K} options of the commands that talk to a running {@code aar serve}. */
final class ServerOptions {

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:AAR_SERVER:-http://127.0.0.1:8080}",
            description = "the aar serve to talk to (default: $AAR_SERVER or ${DEFAULT-VALUE})")
    String server;

    @Option(names = "--key", paramLabel = "K", defaultValue = "${env:AAR_API_KEY}",
            description = "API key (default: $AAR_API_KEY)")
    String key;

    ApiClient client() {
        if (key == null || key.isBlank()) {
            throw new ApiClient.Failure(401, "auth.missing_key",
                    "an API key is required: --key K or AAR_API_KEY (aar serve prints one on first start)", 0, null);
        }
        return new ApiClient(server, key.trim());
    }
}
