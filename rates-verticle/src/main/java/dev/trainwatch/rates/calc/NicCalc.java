package dev.trainwatch.rates.calc;

import dev.trainwatch.bus.derived.NetworkFigures;
import dev.trainwatch.bus.derived.NicRates;
import dev.trainwatch.bus.raw.NicRaw;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Per-interface and summed bytes/s (upload = transmitted, download = received) and errors/s. */
public final class NicCalc {
  private NicCalc() {}

  /**
   * @param prev the reference sample's interfaces, or null when this interval has no rates
   */
  public static NetworkFigures compute(
      List<NicRaw> prev, List<NicRaw> cur, double dtS, RateStats stats) {
    if (cur == null || cur.isEmpty()) {
      return null;
    }
    List<NicRates> out = new ArrayList<>(cur.size());
    Double upSum = null;
    Double downSum = null;
    for (int i = 0; i < cur.size(); i++) {
      NicRaw c = cur.get(i);
      NicRaw p = prev == null ? null : Devices.find(prev, i, c, NicCalc::same);
      if (p == null) {
        out.add(new NicRates(c.name(), null, null, null));
        continue;
      }
      Double up =
          Counters.rate(p.txBytesTotal(), c.txBytesTotal(), dtS, Bounds.DEVICE_RATE_MAX, stats);
      Double down =
          Counters.rate(p.rxBytesTotal(), c.rxBytesTotal(), dtS, Bounds.DEVICE_RATE_MAX, stats);
      out.add(new NicRates(c.name(), up, down, errorRate(p, c, dtS, stats)));
      upSum = Bounds.sum(upSum, up);
      downSum = Bounds.sum(downSum, down);
    }
    return new NetworkFigures(
        Bounds.clamp(upSum, 0, Bounds.SUM_RATE_MAX, stats),
        Bounds.clamp(downSum, 0, Bounds.SUM_RATE_MAX, stats),
        List.copyOf(out));
  }

  /**
   * rx + tx errors/s. A direction the driver does not count is left out of the sum; a direction
   * whose counter reset makes the whole figure absent, since half a count would read as "fewer
   * errors".
   */
  private static Double errorRate(NicRaw p, NicRaw c, double dtS, RateStats stats) {
    boolean rxKnown = p.rxErrorsTotal() != null && c.rxErrorsTotal() != null;
    boolean txKnown = p.txErrorsTotal() != null && c.txErrorsTotal() != null;
    if (!rxKnown && !txKnown) {
      return null;
    }
    double rx = rxKnown ? Counters.delta(p.rxErrorsTotal(), c.rxErrorsTotal(), stats) : 0;
    double tx = txKnown ? Counters.delta(p.txErrorsTotal(), c.txErrorsTotal(), stats) : 0;
    return Bounds.rate(rx + tx, dtS, Bounds.ERROR_RATE_MAX, stats);
  }

  /** Same name, and the same hardware where both samples know its MAC. */
  static boolean same(NicRaw a, NicRaw b) {
    return a.name().equals(b.name())
        && (a.mac() == null || b.mac() == null || Objects.equals(a.mac(), b.mac()));
  }
}
