package dev.trainwatch.rates.calc;

import dev.trainwatch.bus.raw.AgentInfo;
import dev.trainwatch.bus.raw.RawSnapshot;
import java.util.Objects;

/**
 * How a sample relates to the one before it, which decides whether rates exist. Δt comes from the
 * agent's monotonic {@code uptime_ms}: wall clocks jump (NTP, manual changes), and a rate over a
 * jumped clock is fiction.
 *
 * @param dtMs the interval, meaningful only for {@link Kind#NORMAL}
 * @param gap the interval is longer than {@link #GAP_FACTOR}× the nominal one: rates are averages
 *     over the gap
 */
public record Interval(Kind kind, long dtMs, boolean gap) {
  public static final int GAP_FACTOR = 3;

  public enum Kind {
    /** No earlier sample: gauges only. */
    FIRST,
    /** {@code boot_id} changed: every counter restarted, so no rates for this interval. */
    RESET,
    /**
     * Same boot, {@code seq} not newer: a duplicate or a late arrival; it must not become the
     * reference.
     */
    STALE,
    /**
     * Same boot, newer {@code seq}, but uptime did not advance. No rates; the sample still becomes
     * the reference, since refusing it could lock rates out forever if the agent's uptime source
     * regressed for good.
     */
    NO_TIME,
    /** A usable interval. */
    NORMAL
  }

  public static Interval between(RawSnapshot prev, RawSnapshot cur, long nominalMs) {
    if (prev == null) {
      return new Interval(Kind.FIRST, 0, false);
    }
    AgentInfo p = prev.agent();
    AgentInfo c = cur.agent();
    if (!Objects.equals(p.bootId(), c.bootId())) {
      return new Interval(Kind.RESET, 0, false);
    }
    if (c.seq() <= p.seq()) {
      return new Interval(Kind.STALE, 0, false);
    }
    long dt = c.uptimeMs() - p.uptimeMs();
    if (dt <= 0) {
      return new Interval(Kind.NO_TIME, 0, false);
    }
    return new Interval(Kind.NORMAL, dt, nominalMs > 0 && dt > GAP_FACTOR * nominalMs);
  }

  public boolean hasRates() {
    return kind == Kind.NORMAL;
  }

  /** The interval in seconds, or absent when there are no rates. */
  public Double seconds() {
    return hasRates() ? dtMs / 1000.0 : null;
  }

  /** Whether this sample replaces the reference sample for the next interval. */
  public boolean advances() {
    return kind != Kind.STALE;
  }
}
