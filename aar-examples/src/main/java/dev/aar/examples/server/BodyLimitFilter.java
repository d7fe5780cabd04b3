package dev.aar.examples.server;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Puts a hard limit on every request body, enforced while the body is read, chunked or not and
 * whoever reads it (Javalin's {@code ctx.body()}, a route, the SDK): a part may be exactly its
 * declared {@code Content-Length}, an archive at most {@code MaxUploadSizeMb} (plus room for the
 * multipart envelope), any other body at most {@link ServerLimits#maxJsonBytes()}. The read that
 * would pass the limit throws {@link BodyReadException}, so nothing past the limit is ever buffered.
 *
 * <p>It also enforces {@link ServerLimits#minRequestDataRate()}: once the request has spent
 * {@link ServerLimits#dataRateGrace()} waiting for body bytes, it must have received them at that
 * average rate. Only time blocked in a read counts, so a server that consumes slowly (a blob store
 * far away) never makes its client look slow. A client that stops sending altogether is cut by the
 * idle timeout.
 */
final class BodyLimitFilter implements Filter {

    private static final Pattern PART = Pattern.compile("/api/v1/uploads/sessions/[^/]+/parts/[^/]+/?");
    private static final Pattern ARCHIVE = Pattern.compile("/api/v1/(preflight/analyze-stream|projects/upload)/?");

    private final ServerLimits limits;
    private final LongSupplier maxArchiveBytes;

    BodyLimitFilter(ServerLimits limits, LongSupplier maxArchiveBytes) {
        this.limits = limits;
        this.maxArchiveBytes = maxArchiveBytes;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || http.getHeader("Upgrade") != null) {
            chain.doFilter(request, response); // a WebSocket upgrade has no body; Jetty takes it over as it is
            return;
        }
        chain.doFilter(new Limited(http, limitOf(http)), response);
    }

    /** The route's limit and the code its refusal carries. */
    private Limit limitOf(HttpServletRequest req) {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        String method = req.getMethod();
        if ("PUT".equals(method) && PART.matcher(path).matches()) {
            // the route refuses a part without Content-Length before reading; a part never exceeds it
            long declared = Math.max(0, req.getContentLengthLong());
            return new Limit(declared, "upload.wrong_part_size", "the part's Content-Length");
        }
        if ("POST".equals(method) && ARCHIVE.matcher(path).matches()) {
            return new Limit(maxArchiveBytes.getAsLong() + ArchiveBody.MULTIPART_OVERHEAD, "archive.upload_too_large",
                    "ScaleLimits.MaxUploadSizeMb");
        }
        return new Limit(limits.maxJsonBytes(), "request.body_too_large", "the server's JSON body limit");
    }

    private record Limit(long bytes, String code, String what) {
    }

    /** The request with its body stream replaced by a counting, rate-checking one. */
    private final class Limited extends HttpServletRequestWrapper {
        private final Limit limit;
        private LimitedStream stream;

        Limited(HttpServletRequest request, Limit limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String enc = getCharacterEncoding();
            Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
            return new BufferedReader(new InputStreamReader(getInputStream(), cs));
        }
    }

    /** Counts body bytes against the limit and the time spent waiting for them against the minimum rate. */
    private final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final Limit limit;
        private long received;
        private long waitedNanos;

        LimitedStream(ServletInputStream in, Limit limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            // ask for one byte past the limit at most: that byte proves the body is too large
            long room = limit.bytes() - received + 1;
            long start = System.nanoTime();
            int n;
            try {
                n = in.read(b, off, (int) Math.min(len, room));
            } catch (BodyReadException e) {
                throw e;
            } catch (IOException e) {
                throw BodyReadException.interrupted(e);
            }
            waitedNanos += System.nanoTime() - start;
            if (n > 0) {
                received += n;
                if (received > limit.bytes()) {
                    throw BodyReadException.tooLarge(limit.code(), limit.bytes(), limit.what());
                }
            }
            checkRate(n < 0);
            return n;
        }

        private void checkRate(boolean ended) throws BodyReadException {
            long rate = limits.minRequestDataRate();
            long grace = limits.dataRateGrace().toNanos();
            if (rate <= 0 || ended || waitedNanos <= grace) {
                return;
            }
            double seconds = waitedNanos / 1e9;
            if (received < rate * seconds) {
                throw BodyReadException.tooSlow(rate, received, waitedNanos / 1_000_000);
            }
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
