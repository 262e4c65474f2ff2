package dev.trainwatch.gateway;

import dev.trainwatch.bus.HistoryQuery;
import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.bus.Rfc3339;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Parses {@code ?server=&minutes=} or {@code ?server=&from=&to=} (+ optional {@code step_s}) into a
 * query.
 */
final class HistoryParams {
  private HistoryParams() {}

  static final int DEFAULT_MINUTES = 60;
  static final long MAX_MINUTES = 400L * 24 * 60;

  static HistoryQuery parse(MultiMap params, String server, Instant now) {
    Integer step =
        params.contains("step_s")
            ? (int) integer(params.get("step_s"), "step_s", 1, 86_400L * 31)
            : null;
    String from = params.get("from");
    String to = params.get("to");
    if (from != null || to != null) {
      if (params.contains("minutes")) {
        throw new InvalidPayloadException("minutes", "give either minutes or from/to, not both");
      }
      Instant f = instant(from, "from", now);
      Instant t = to == null ? now : instant(to, "to", now);
      if (!f.isBefore(t)) {
        throw new InvalidPayloadException("from", "must be before to");
      }
      if (Duration.between(f, t).toMinutes() > MAX_MINUTES) {
        throw new InvalidPayloadException(
            "from", "range longer than " + MAX_MINUTES / 1440 + " days");
      }
      return new HistoryQuery(server, f, t, step);
    }
    long minutes =
        params.contains("minutes")
            ? integer(params.get("minutes"), "minutes", 1, MAX_MINUTES)
            : DEFAULT_MINUTES;
    return new HistoryQuery(server, now.minus(Duration.ofMinutes(minutes)), now, step);
  }

  private static long integer(String v, String field, long min, long max) {
    try {
      long l = Long.parseLong(v.trim());
      if (l >= min && l <= max) {
        return l;
      }
    } catch (NumberFormatException | NullPointerException e) {
      // reported below with the accepted range
    }
    throw new InvalidPayloadException(field, "must be an integer between " + min + " and " + max);
  }

  /**
   * Earliest time a query may name: before any sample could exist, and well inside what Postgres
   * can hold.
   */
  static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  /**
   * The canonical RFC 3339 shape only (as ingest takes it), between {@link #EARLIEST} and a day
   * after {@code now}: a year Postgres cannot hold would otherwise fail the query as a 503, as if
   * storage were down (issue 13).
   */
  static Instant instant(String v, String field, Instant now) {
    if (v == null) {
      throw new InvalidPayloadException(
          field, "is required with " + (field.equals("from") ? "to" : "from"));
    }
    Instant t;
    try {
      t = Rfc3339.parse(v);
    } catch (DateTimeParseException e) {
      throw new InvalidPayloadException(
          field, "must be an RFC 3339 UTC timestamp such as 2026-11-22T06:00:00Z");
    }
    if (t.isBefore(EARLIEST) || t.isAfter(now.plus(Duration.ofDays(1)))) {
      throw new InvalidPayloadException(field, "must be between 2000-01-01 and a day from now");
    }
    return t;
  }
}
