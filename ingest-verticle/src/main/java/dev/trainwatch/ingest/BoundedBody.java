package dev.trainwatch.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads a request body, after authentication, up to a limit counted after decompression. The HTTP
 * server does not inflate request bodies (it would do so before routing and before the token is
 * checked, with no cap); a gzip body is inflated here, into at most {@code limit} bytes, so a gzip
 * bomb costs its compressed size and {@code limit}.
 */
final class BoundedBody {
  private BoundedBody() {}

  static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("body larger than the limit", null, false, false);
    }
  }

  /** A body that says gzip and is not. */
  static final class BadGzip extends RuntimeException {
    BadGzip(String why) {
      super(why, null, false, false);
    }
  }

  static Future<Buffer> read(HttpServerRequest req, int limit) {
    boolean gzip = "gzip".equalsIgnoreCase(req.getHeader("content-encoding"));
    return raw(req, limit).map(body -> gzip ? inflate(body, limit) : body);
  }

  /**
   * The body as sent; compressed bodies are held to the same limit (a snapshot deflates about 5 to
   * 1).
   */
  private static Future<Buffer> raw(HttpServerRequest req, int limit) {
    Promise<Buffer> p = Promise.promise();
    String declared = req.getHeader("content-length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared) > limit) {
          return Future.failedFuture(new TooLarge());
        }
      } catch (NumberFormatException ignored) {
        // Netty rejects malformed lengths before we get here; counting below still bounds us.
      }
    }
    Buffer body = Buffer.buffer(Math.min(limit, 64 * 1024));
    req.handler(
        chunk -> {
          if (p.future().isComplete()) {
            return;
          }
          if (body.length() + chunk.length() > limit) {
            p.tryFail(new TooLarge());
            return;
          }
          body.appendBuffer(chunk);
        });
    req.endHandler(v -> p.tryComplete(body));
    req.exceptionHandler(p::tryFail);
    req.resume();
    return p.future();
  }

  /**
   * At most {@code limit} bytes out: one more and it is {@link TooLarge}, whatever the rest would
   * have been.
   */
  static Buffer inflate(Buffer compressed, int limit) {
    byte[] out = new byte[Math.min(limit + 1, Math.max(4096, compressed.length() * 8))];
    int n = 0;
    try (GZIPInputStream in =
        new GZIPInputStream(new ByteArrayInputStream(compressed.getBytes()), 8192)) {
      while (true) {
        if (n == out.length) {
          if (out.length > limit) {
            throw new TooLarge();
          }
          out = Arrays.copyOf(out, Math.min(limit + 1, out.length * 2));
        }
        int r = in.read(out, n, out.length - n);
        if (r < 0) {
          break;
        }
        n += r;
        if (n > limit) {
          throw new TooLarge();
        }
      }
    } catch (IOException e) {
      throw new BadGzip("the body is not valid gzip: " + e.getMessage());
    }
    return Buffer.buffer(Arrays.copyOf(out, n));
  }
}
