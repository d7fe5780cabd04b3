package dev.aar.examples.server;

import dev.aar.core.error.ArchiveRejectedException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * An uploaded archive read as a stream, never buffered in memory: the raw request body, or the one
 * file part of a {@code multipart/form-data} body (which Jetty spools to an owner-only temporary file
 * in the server's spool directory past {@link #MULTIPART_MEMORY_THRESHOLD} and deletes when the
 * request ends).
 *
 * @param stream the archive's bytes
 * @param fileName the part's file name, or null for a raw body
 */
record ArchiveBody(InputStream stream, String fileName) {

    /** Multipart file parts larger than this are spooled to disk. */
    static final int MULTIPART_MEMORY_THRESHOLD = 1024 * 1024;
    /** Room for the multipart boundaries and headers around the file part. */
    static final long MULTIPART_OVERHEAD = 64 * 1024;

    private static final String JETTY_MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";

    /**
     * Opens the archive of this request.
     *
     * @throws ArchiveRejectedException UPLOAD_TOO_LARGE when the declared length is over {@code maxBytes}
     *     (a body without a length is capped while it is read)
     */
    static ArchiveBody open(Context ctx, long maxBytes, Path spool) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        boolean multipart = type.startsWith("multipart/form-data");
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes + (multipart ? MULTIPART_OVERHEAD : 0)) {
            throw tooLarge(maxBytes);
        }
        if (declared == 0) {
            throw Problems.invalid("the body is empty; send the archive as the body or as a multipart file part");
        }
        try {
            return multipart ? part(ctx, maxBytes, spool) : new ArchiveBody(ctx.req().getInputStream(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }

    private static ArchiveBody part(Context ctx, long maxBytes, Path spool) throws IOException {
        // an owner-only directory, not the shared java.io.tmpdir: the archive in transit is a customer's code
        ctx.req().setAttribute(JETTY_MULTIPART_CONFIG, new MultipartConfigElement(spool.toString(), maxBytes, maxBytes + MULTIPART_OVERHEAD,
                MULTIPART_MEMORY_THRESHOLD));
        Part file = null;
        try {
            for (Part p : ctx.req().getParts()) {
                if (p.getSubmittedFileName() != null) {
                    if (file != null) {
                        throw new Problems.HttpProblem(HttpStatus.BAD_REQUEST, "request.invalid",
                                "the multipart body must hold exactly one file part");
                    }
                    file = p;
                }
            }
        } catch (IllegalStateException e) {
            // Jetty's way of saying a part or the request is over the multipart config's sizes
            throw tooLarge(maxBytes);
        } catch (ServletException e) {
            throw new Problems.HttpProblem(HttpStatus.BAD_REQUEST, "request.invalid",
                    "the multipart body cannot be parsed: " + e.getMessage());
        }
        if (file == null) {
            throw new Problems.HttpProblem(HttpStatus.BAD_REQUEST, "request.invalid",
                    "the multipart body holds no file part");
        }
        return new ArchiveBody(file.getInputStream(), file.getSubmittedFileName());
    }

    static ArchiveRejectedException tooLarge(long maxBytes) {
        return new ArchiveRejectedException(ArchiveRejectedException.Reason.UPLOAD_TOO_LARGE, null,
                "the archive is larger than ScaleLimits.MaxUploadSizeMb (" + maxBytes + " bytes)");
    }
}
