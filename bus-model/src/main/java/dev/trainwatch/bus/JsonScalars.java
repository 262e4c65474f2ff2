package dev.trainwatch.bus;

import java.math.BigInteger;

/**
 * The contract's numeric rules, for both readers: the tree ({@link Json}, values as Vert.x decoded
 * them) and the stream ({@link JsonCursor}, values as Jackson's parser holds them). Each takes a
 * number in the form the parser produced it: a long, a BigInteger (an integer past the long range)
 * or a double (a fraction or an exponent in the text). A rule returns the value or throws {@link
 * Fault} with the reason; the caller knows the path and names it.
 */
final class JsonScalars {
  private JsonScalars() {}

  static final String NUMBER = "must be a number";
  static final String COUNTER = "must be a non-negative integer (an unsigned 64-bit counter)";
  static final String COUNTER_RANGE = "must fit an unsigned 64-bit counter";
  static final String INTEGER = "must be an integer";

  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
  // Beyond 2^53 a double no longer holds every integer: 1e16 in the text may not be the integer the
  // sender meant.
  private static final double TWO_53 = 9007199254740992d;

  /**
   * A rule broken: the reason only, without a stack (thrown for bad input, which is not a bug
   * here).
   */
  static final class Fault extends RuntimeException {
    Fault(String reason) {
      super(reason, null, false, false);
    }
  }

  /** An integer in [min, max]. */
  static long integer(long l, long min, long max) {
    if (l < min || l > max) {
      throw range(min, max);
    }
    return l;
  }

  /**
   * An integer written as a double ({@code 3.0}, {@code 1e3}): whole, and exact (at most 2^53
   * either side of 0).
   */
  static long integer(double d, long min, long max) {
    if (d != Math.rint(d) || Math.abs(d) > TWO_53) {
      throw new Fault(INTEGER);
    }
    return integer((long) d, min, max);
  }

  /** An integer past the long range is outside every range a long can state. */
  static Fault integerBeyondLong(long min, long max) {
    return range(min, max);
  }

  private static Fault range(long min, long max) {
    return new Fault("must be between " + min + " and " + max);
  }

  /**
   * An unsigned 64-bit counter, returned as the long with the same bits (compare with {@link
   * Long#compareUnsigned}, subtract with plain {@code -}). A long is the counter when not negative;
   * past {@link Long#MAX_VALUE} the parser gives a BigInteger.
   */
  static long counter(long l) {
    if (l < 0) {
      throw new Fault(COUNTER);
    }
    return l;
  }

  static long counter(BigInteger b) {
    if (b.signum() < 0 || b.compareTo(TWO_64) >= 0) {
      throw new Fault(COUNTER_RANGE);
    }
    return b.longValue();
  }

  static long counter(double d) {
    if (d >= 0 && d == Math.rint(d) && d <= TWO_53) {
      return (long) d;
    }
    throw new Fault(COUNTER);
  }

  /**
   * A finite number in [min, max]; a huge exponent ({@code 1e999}) parses to infinity and fails
   * here.
   */
  static double number(double d, double min, double max) {
    if (!Double.isFinite(d) || d < min || d > max) {
      throw new Fault("must be between " + fmt(min) + " and " + fmt(max));
    }
    return d;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
