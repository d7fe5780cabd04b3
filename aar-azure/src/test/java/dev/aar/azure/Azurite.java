package dev.aar.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import java.util.UUID;

/** Azurite's development account, as the tests reach it on 127.0.0.1:10000. */
final class Azurite {

    /** Azurite's well-known development account; not a secret. */
    static final String CONNECTION_STRING = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            + "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

    private Azurite() {
    }

    /** Returns a container name no other test uses. */
    static String newContainerName() {
        return "aar-test-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
    }

    /** Returns a plain SDK client for {@code container}, for looking behind the store's back. */
    static BlobContainerClient rawClient(String container) {
        return new BlobContainerClientBuilder().connectionString(CONNECTION_STRING).containerName(container)
                .buildClient();
    }
}
