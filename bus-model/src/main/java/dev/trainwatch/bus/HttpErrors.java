package dev.trainwatch.bus;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The contract's error body, {@code {"error": {"code", "message", "field"?}}}, with Retry-After on
 * 429 and 503: the one writer of HTTP errors for every edge (gateway, ingest). A Retry-After the
 * caller already set (e.g. the length of a rate-limit window) is kept.
 */
public final class HttpErrors {
  private HttpErrors() {}

  public static final int RETRY_AFTER_S = 5;

  public static JsonObject body(FailureCode code, String message, String field) {
    JsonObject e = new JsonObject().put("code", code.code()).put("message", message);
    if (field != null && !field.isEmpty()) {
      e.put("field", field);
    }
    return new JsonObject().put("error", e);
  }

  /** Completes once the answer is written (or at once, when one was sent already). */
  public static Future<Void> send(
      HttpServerResponse resp, FailureCode code, String message, String field) {
    return send(resp, code, body(code, message, field));
  }

  public static Future<Void> send(HttpServerResponse resp, FailureCode code, JsonObject body) {
    if (resp.ended()) {
      return Future.succeededFuture();
    }
    resp.setStatusCode(code.httpStatus())
        .putHeader("content-type", "application/json; charset=utf-8");
    if ((code == FailureCode.UNAVAILABLE || code == FailureCode.RATE_LIMITED)
        && resp.headers().get("retry-after") == null) {
      resp.putHeader("retry-after", Integer.toString(RETRY_AFTER_S));
    }
    return resp.end(body.encode());
  }

  /**
   * A failed bus request, answered with its contract code. Our own refusals (conflict, unknown
   * server, no data) carry a sentence meant for the caller; storage trouble and bugs say no more
   * than their code, since a bus failure's message names internal addresses.
   */
  public static void sendFailure(HttpServerResponse resp, Throwable failure) {
    FailureCode code = FailureCode.of(failure);
    String message =
        switch (code) {
          case INTERNAL -> "internal error";
          case UNAVAILABLE -> "storage is not reachable now; try again";
          default -> failure.getMessage();
        };
    send(resp, code, message, null);
  }
}
