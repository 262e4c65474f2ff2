package dev.trainwatch.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.HashMap;
import java.util.Map;

/**
 * Every failure a verticle can answer on the bus, and the HTTP status and contract error code it
 * maps to. A bus reply fails with {@code ReplyException(RECIPIENT_FAILURE, code.busCode(),
 * message)}; the HTTP edge turns it back with {@link #of(Throwable)} so a failure keeps its meaning
 * across verticles and, in cluster mode, across JVMs.
 */
public enum FailureCode {
  INVALID_JSON(400, "invalid_json", 1000),
  INVALID_PAYLOAD(400, "invalid_payload", 1001),
  INVALID_QUERY(400, "invalid_query", 1002),
  UNAUTHORIZED(401, "unauthorized", 1003),
  SERVER_DISABLED(403, "server_disabled", 1004),
  UNKNOWN_SERVER(404, "unknown_server", 1005),
  NO_DATA(404, "no_data", 1006),
  NOT_FOUND(404, "not_found", 1007),
  PAYLOAD_TOO_LARGE(413, "payload_too_large", 1008),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type", 1009),
  RATE_LIMITED(429, "rate_limited", 1010),
  /**
   * Storage down or overloaded, or a bus peer missing: the client should retry after {@code
   * Retry-After}.
   */
  UNAVAILABLE(503, "unavailable", 1011),
  /** A bug on our side. Never used for anything a client sent. */
  INTERNAL(500, "internal", 1012),
  /**
   * Authenticated, but the role does not allow this; or a request from a foreign Origin or Host.
   */
  FORBIDDEN(403, "forbidden", 1013),
  /** The thing to create exists already (a server slug, an active API token name). */
  CONFLICT(409, "conflict", 1014),
  /** A state-changing request with a JSON body sent as something else. */
  METHOD_NOT_ALLOWED(405, "method_not_allowed", 1015),
  /** A request whose body did not arrive in time (a slow or stalled client: RequestDeadlines). */
  REQUEST_TIMEOUT(408, "request_timeout", 1016);

  private static final Map<Integer, FailureCode> BY_BUS_CODE = new HashMap<>();

  static {
    for (FailureCode c : values()) {
      if (BY_BUS_CODE.put(c.busCode, c) != null) {
        throw new ExceptionInInitializerError("bus code " + c.busCode + " used twice");
      }
    }
  }

  private final int httpStatus;
  private final String code;
  private final int busCode;

  /**
   * {@code busCode} is written out, never derived from the position: nodes of different builds
   * share a cluster during an upgrade, and a code must mean the same on both. Numbers above 1000
   * never collide with Vert.x's own; a new code takes the next unused number, and a retired one's
   * number is never reused.
   */
  FailureCode(int httpStatus, String code, int busCode) {
    this.httpStatus = httpStatus;
    this.code = code;
    this.busCode = busCode;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The contract's snake_case error code. */
  public String code() {
    return code;
  }

  /** The int carried in {@link ReplyException#failureCode()}. */
  public int busCode() {
    return busCode;
  }

  public ReplyException exception(String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, busCode(), message);
  }

  /**
   * Maps any failure from a bus request to the code a client should see: our own codes come back as
   * they were sent; no handler or a timeout means the peer is missing or overloaded, which is
   * {@link #UNAVAILABLE}.
   */
  public static FailureCode of(Throwable failure) {
    if (failure instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.NO_HANDLERS
          || re.failureType() == ReplyFailure.TIMEOUT) {
        return UNAVAILABLE;
      }
      FailureCode c = BY_BUS_CODE.get(re.failureCode());
      if (c != null) {
        return c;
      }
    }
    if (failure instanceof InvalidPayloadException) {
      return INVALID_PAYLOAD;
    }
    return INTERNAL;
  }
}
