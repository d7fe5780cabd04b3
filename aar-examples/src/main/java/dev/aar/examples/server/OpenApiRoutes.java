package dev.aar.examples.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the hand-written OpenAPI 3.1 document of the HTTP API at {@code /openapi.json}, without authentication. */
final class OpenApiRoutes implements Routes {

    /** Classpath location of the document. */
    static final String RESOURCE = "/dev/aar/examples/server/openapi.json";

    private final byte[] document;

    OpenApiRoutes() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    @Override
    public void register(Javalin app) {
        app.get("/openapi.json", this::get);
    }

    private void get(Context ctx) {
        ctx.contentType("application/json").result(document);
    }
}
