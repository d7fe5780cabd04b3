package dev.aar.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.config.AarConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiRoutesTest {

    /** Every route the API route groups register, as "METHOD path" with OpenAPI's {param} names. */
    static final List<String> ROUTES = List.of(
            "post /api/v1/preflight/analyze-stream",
            "post /api/v1/preflight/analyze/{projectId}",
            "post /api/v1/preflight/{projectId}/approve",
            "post /api/v1/uploads/sessions",
            "get /api/v1/uploads/sessions/{sessionId}",
            "put /api/v1/uploads/sessions/{sessionId}/parts/{partNumber}",
            "post /api/v1/uploads/sessions/{sessionId}/finalize",
            "delete /api/v1/uploads/sessions/{sessionId}",
            "post /api/v1/projects",
            "post /api/v1/projects/upload",
            "get /api/v1/projects",
            "get /api/v1/projects/{projectId}",
            "post /api/v1/projects/{projectId}/analyses",
            "get /api/v1/projects/{projectId}/reports",
            "get /api/v1/jobs/{jobId}",
            "post /api/v1/jobs/{jobId}/cancel",
            "get /api/v1/reports/{reportId}",
            "get /api/v1/deadletters",
            "post /api/v1/deadletters/{jobId}/redrive",
            "post /api/v1/deadletters/redrive",
            "get /api/v1/quota",
            "get /api/v1/stats/throughput",
            "get /openapi.json");

    @TempDir
    Path dir;

    @Test
    void servesAnOpenApi31DocumentListingEveryRouteWithoutAKey() {
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults())) {
            HttpResponse<String> r = api.get(null, "/openapi.json");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            JsonNode doc = api.body(r);
            assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
            assertThat(doc.at("/components/securitySchemes/ApiKey/name").asText()).isEqualTo("X-Api-Key");

            List<String> documented = new ArrayList<>();
            doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                    .forEachRemaining(m -> documented.add(m + " " + p.getKey())));
            assertThat(documented).containsExactlyInAnyOrderElementsOf(ROUTES);

            doc.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
                JsonNode responses = m.getValue().get("responses");
                assertThat(responses).as(m.getKey() + " " + p.getKey()).isNotNull();
                if (p.getKey().startsWith("/api/")) {
                    assertThat(responses.at("/401/$ref").asText()).isEqualTo("#/components/responses/Unauthorized");
                    // every path parameter in the template is declared
                    for (String segment : p.getKey().split("/")) {
                        if (segment.startsWith("{")) {
                            assertThat(m.getValue().get("parameters").toString()).as(p.getKey())
                                    .contains("#/components/parameters/" + segment.substring(1, segment.length() - 1));
                        }
                    }
                }
            }));
            assertThat(doc.at("/components/responses/NotFound/content").has("application/problem+json")).isTrue();
            // every $ref points at something that exists
            List<String> refs = new ArrayList<>();
            collectRefs(doc, refs);
            assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse());
        }
    }

    @Test
    void everyDocumentedRouteIsServed() {
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults())) {
            for (String route : ROUTES) {
                String method = route.substring(0, route.indexOf(' ')).toUpperCase(java.util.Locale.ROOT);
                String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{partNumber}", "1")
                        .replaceAll("\\{[^}]+}", "unknown-id");
                HttpResponse<String> r = api.send(api.request(api.keyA, path)
                        .method(method, java.net.http.HttpRequest.BodyPublishers.noBody()).build());
                // a route may refuse the empty request or the unknown id, but it must exist
                assertThat(r.body()).as(route).doesNotContain("\"code\":\"http.404\"").doesNotContain("http.405");
                assertThat(r.statusCode()).as(route + " " + r.body()).isLessThan(500);
            }
        }
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getKey().equals("$ref")) {
                    refs.add(f.getValue().asText());
                } else {
                    collectRefs(f.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }
}
