package dev.trainwatch.agent.send;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** RFC 9110 {@code Retry-After}: delay-seconds or an HTTP-date. Pure. */
public final class RetryAfter {
  private RetryAfter() {}

  /**
   * The delay in ms, or -1 when the header is absent or unreadable (then the backoff alone
   * decides).
   */
  public static long parseMs(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String h = header.strip();
    if (h.chars().allMatch(Character::isDigit)) {
      if (h.length() > 9) {
        return Backoff.MAX_RETRY_AFTER_MS;
      }
      return Long.parseLong(h) * 1000;
    }
    try {
      Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Math.max(0, at.toEpochMilli() - now.toEpochMilli());
    } catch (DateTimeParseException e) {
      return -1;
    }
  }
}
