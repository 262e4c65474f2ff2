package dev.trainwatch.bus;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Parses {@code ts} values: exactly {@code YYYY-MM-DDThh:mm:ss[.f]Z}, a 4-digit year, every field
 * in range, 1 to 9 fraction digits, UTC. Nothing else: {@link Instant#parse} would also take {@code
 * +10000-01-01T00:00:00Z} and other extended forms, and a year past what Postgres or the partition
 * names can hold once failed whole write batches (issue 13). Read by hand, which is also much
 * cheaper than {@code Instant.parse}'s resolver per call.
 */
public final class Rfc3339 {
  private Rfc3339() {}

  private static final long DAYS_0000_TO_1970 = 719_528L;

  /**
   * @throws DateTimeParseException for anything but the one shape above
   */
  public static Instant parse(String s) {
    Instant t = fast(s);
    if (t == null) {
      throw new DateTimeParseException("not YYYY-MM-DDThh:mm:ss[.fff]Z", s, 0);
    }
    return t;
  }

  /** {@code uuuu-MM-ddTHH:mm:ss[.f{1,9}]Z} with every field in range, or null. */
  static Instant fast(String s) {
    int n = s.length();
    if (n < 20
        || n > 30
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59
        || day > monthLength(year, month)) {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      int fracLen = n - 21;
      if (s.charAt(19) != '.' || fracLen < 1) {
        return null;
      }
      int frac = digits(s, 20, fracLen);
      if (frac < 0) {
        return null;
      }
      nanos = frac;
      for (int i = fracLen; i < 9; i++) {
        nanos *= 10;
      }
    }
    long seconds = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /** The decimal value of {@code len} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int len) {
    int v = 0;
    for (int i = from; i < from + len; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static boolean leap(int y) {
    return (y & 3) == 0 && (y % 100 != 0 || y % 400 == 0);
  }

  private static int monthLength(int y, int m) {
    return switch (m) {
      case 2 -> leap(y) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** {@code LocalDate.toEpochDay} for years 0..9999, without the LocalDate. */
  private static long epochDay(int year, int month, int day) {
    long y = year;
    long total = 365 * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
    total += (367L * month - 362) / 12;
    total += day - 1;
    if (month > 2) {
      total--;
      if (!leap(year)) {
        total--;
      }
    }
    return total - DAYS_0000_TO_1970;
  }
}
