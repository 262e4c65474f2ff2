package dev.trainwatch.alerts.rules;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * How a reading is compared. The level operators compare with the threshold to start an alert and
 * with the clear threshold to resolve it (hysteresis: a temperature alert at 85 °C with clear 80 °C
 * resolves below 80, not at 84.9). {@link #RISES} fires when a counter went up since the previous
 * sample of the same boot; {@link #PRESENT} fires on any reading at all (an event, like an XID).
 */
public enum Op {
  GT(">"),
  GE(">="),
  LT("<"),
  LE("<="),
  EQ("=="),
  NE("!="),
  RISES("rises"),
  PRESENT("present");

  public final String symbol;

  Op(String symbol) {
    this.symbol = symbol;
  }

  public static Optional<Op> of(String symbol) {
    return Arrays.stream(values()).filter(o -> o.symbol.equals(symbol)).findFirst();
  }

  /** Level operators need a threshold; events do not. */
  public boolean needsThreshold() {
    return this != RISES && this != PRESENT;
  }

  /** Does {@code value} meet the start condition? Text compares only with EQ and NE. */
  public boolean holds(Object value, Object threshold) {
    if (value == null) {
      return false;
    }
    if (value instanceof String || threshold instanceof String) {
      return switch (this) {
        case EQ -> Objects.equals(value, threshold);
        case NE -> !Objects.equals(value, threshold);
        default -> false;
      };
    }
    double v = (Double) value;
    double t = threshold == null ? 0 : ((Number) threshold).doubleValue();
    return switch (this) {
      case GT -> v > t;
      case GE -> v >= t;
      case LT -> v < t;
      case LE -> v <= t;
      case EQ -> v == t;
      case NE -> v != t;
      case RISES, PRESENT -> true;
    };
  }

  /**
   * Has a firing alert's reading come back past the clear threshold? For "higher is bad" operators
   * that is below clear, for "lower is bad" ones above it; with clear equal to the threshold it is
   * simply "no longer holds".
   */
  public boolean cleared(Object value, Object clear) {
    if (value == null) {
      return false;
    }
    if (value instanceof String || clear instanceof String) {
      return !holds(value, clear);
    }
    double v = (Double) value;
    double c = ((Number) clear).doubleValue();
    return switch (this) {
      case GT -> v <= c;
      case GE -> v < c;
      case LT -> v >= c;
      case LE -> v > c;
      case EQ -> v != c;
      case NE -> v == c;
      case RISES, PRESENT -> true;
    };
  }
}
