package dev.aar.spring.example;

import dev.aar.core.Aar;
import dev.aar.core.error.AarException;
import dev.aar.core.preflight.Approval;
import dev.aar.core.project.Project;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The service's own endpoint: {@code POST /orgs/{org}/reviews} with a zip body queues a review. The
 * organisation would come from the service's authentication; here it is in the path.
 */
@RestController
class ReviewController {

    private final Aar aar;

    ReviewController(Aar aar) {
        this.aar = aar;
    }

    @PostMapping(path = "/orgs/{org}/reviews", consumes = {"application/zip", MediaType.APPLICATION_OCTET_STREAM_VALUE})
    Map<String, String> review(@PathVariable String org, @RequestHeader(value = "X-Project-Name", defaultValue = "upload.zip") String name,
            InputStream zip) throws IOException {
        if (!org.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "org must be 1-64 letters, digits, '-' or '_'");
        }
        // the SDK bounds the archive (ScaleLimits) and refuses a hostile one with a typed error
        Project project = aar.analysis().createProject(org, name, zip);
        Job job = aar.analysis().submit(org, project.id(), JobPriority.NORMAL, Approval.of("review-service", "uploaded by " + org));
        return Map.of("projectId", project.id(), "jobId", job.id());
    }

    /** The SDK's typed errors keep their stable code; the caller's mistakes are 4xx, ours 503. */
    @ExceptionHandler(AarException.class)
    ResponseEntity<Map<String, String>> refused(AarException e) {
        HttpStatus status = e.isClientError() ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.SERVICE_UNAVAILABLE;
        // the SDK's messages name no secret and no server path; a server-side one is still not echoed
        String message = e.isClientError() ? e.getMessage() : "the review service cannot take this now";
        return ResponseEntity.status(status).body(Map.of("code", e.code(), "message", message));
    }
}
