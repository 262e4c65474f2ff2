package dev.trainwatch.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Every failure a verticle can answer on the bus, and the HTTP status and contract error code it maps to. A bus
 * reply fails with {@code ReplyException(RECIPIENT_FAILURE, code.busCode(), message)}; the HTTP edge turns it back
 * with {@link #of(Throwable)} so a failure keeps its meaning across verticles and, in cluster mode, across JVMs.
 */
public enum FailureCode {
  INVALID_JSON(400, "invalid_json"),
  INVALID_PAYLOAD(400, "invalid_payload"),
  INVALID_QUERY(400, "invalid_query"),
  UNAUTHORIZED(401, "unauthorized"),
  SERVER_DISABLED(403, "server_disabled"),
  UNKNOWN_SERVER(404, "unknown_server"),
  NO_DATA(404, "no_data"),
  NOT_FOUND(404, "not_found"),
  PAYLOAD_TOO_LARGE(413, "payload_too_large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
  RATE_LIMITED(429, "rate_limited"),
  /** Storage down or overloaded, or a bus peer missing: the client should retry after {@code Retry-After}. */
  UNAVAILABLE(503, "unavailable"),
  /** A bug on our side. Never used for anything a client sent. */
  INTERNAL(500, "internal"),
  // Appended, never inserted: the bus code is the ordinal, and a cluster may mix builds during an upgrade.
  /** Authenticated, but the role does not allow this; or a request from a foreign Origin or Host. */
  FORBIDDEN(403, "forbidden"),
  /** The thing to create exists already (a server slug, an active API token name). */
  CONFLICT(409, "conflict"),
  /** A state-changing request with a JSON body sent as something else. */
  METHOD_NOT_ALLOWED(405, "method_not_allowed"),
  /** A request whose body did not arrive in time (a slow or stalled client: RequestDeadlines). */
  REQUEST_TIMEOUT(408, "request_timeout");

  private static final int BUS_BASE = 1000;
  private final int httpStatus;
  private final String code;

  FailureCode(int httpStatus, String code) {
    this.httpStatus = httpStatus;
    this.code = code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The contract's snake_case error code. */
  public String code() {
    return code;
  }

  /** The int carried in {@link ReplyException#failureCode()}; offset so it never collides with Vert.x's own. */
  public int busCode() {
    return BUS_BASE + ordinal();
  }

  public ReplyException exception(String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, busCode(), message);
  }

  /**
   * Maps any failure from a bus request to the code a client should see: our own codes come back as they were sent;
   * no handler or a timeout means the peer is missing or overloaded, which is {@link #UNAVAILABLE}.
   */
  public static FailureCode of(Throwable failure) {
    if (failure instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.NO_HANDLERS || re.failureType() == ReplyFailure.TIMEOUT) {
        return UNAVAILABLE;
      }
      int i = re.failureCode() - BUS_BASE;
      FailureCode[] all = values();
      if (i >= 0 && i < all.length) {
        return all[i];
      }
    }
    if (failure instanceof InvalidPayloadException) {
      return INVALID_PAYLOAD;
    }
    return INTERNAL;
  }
}
