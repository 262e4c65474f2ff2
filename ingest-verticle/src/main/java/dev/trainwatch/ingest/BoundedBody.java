package dev.trainwatch.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a limit counted after decompression (the server inflates gzip before handlers see
 * it), so a gzip bomb is cut off at {@code limit} bytes of output instead of filling memory.
 */
final class BoundedBody {
  private BoundedBody() {}

  static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("body larger than the limit", null, false, false);
    }
  }

  static Future<Buffer> read(HttpServerRequest req, int limit) {
    Promise<Buffer> p = Promise.promise();
    String declared = req.getHeader("content-length");
    if (declared != null && req.getHeader("content-encoding") == null) {
      try {
        if (Long.parseLong(declared) > limit) {
          return Future.failedFuture(new TooLarge());
        }
      } catch (NumberFormatException ignored) {
        // Netty rejects malformed lengths before we get here; counting below still bounds us.
      }
    }
    Buffer body = Buffer.buffer(Math.min(limit, 64 * 1024));
    req.handler(chunk -> {
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
}
