package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import dev.trainwatch.bus.InvalidPayloadException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Per-logical-core tick counters in milliseconds, eight states each in the order of {@link #STATES}, plus the load
 * average and per-core frequency. {@code ticks[core][state]} holds unsigned counters.
 */
public record CpuRaw(long[][] ticks, List<Double> loadAvg, List<Double> freqMhz) {
  public static final List<String> STATES = List.of("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal");
  public static final int USER = 0, NICE = 1, SYSTEM = 2, IDLE = 3, IOWAIT = 4, IRQ = 5, SOFTIRQ = 6, STEAL = 7;
  public static final int MAX_CORES = 4096;

  public static CpuRaw fromJson(JsonObject o, String p) {
    JsonArray cores = optArray(o, p, "ticks_ms_total", MAX_CORES);
    long[][] ticks = new long[0][];
    if (cores != null) {
      String cp = path(p, "ticks_ms_total");
      ticks = new long[cores.size()][];
      for (int c = 0; c < ticks.length; c++) {
        // The element path is built only when something is wrong: 128 cores must not cost 128 strings.
        if (!(cores.getValue(c) instanceof JsonArray states) || states.size() != STATES.size()) {
          Object v = cores.getValue(c);
          throw new InvalidPayloadException(path(cp, c), "must be an array of 8 tick counters " + STATES
              + (v instanceof JsonArray a ? ", has " + a.size() : ""));
        }
        long[] t = new long[STATES.size()];
        try {
          for (int s = 0; s < t.length; s++) {
            t[s] = counterAt(states, "", s);
          }
        } catch (InvalidPayloadException e) {
          throw new InvalidPayloadException(path(cp, c) + e.field(), e.reason());
        }
        ticks[c] = t;
      }
    }
    return new CpuRaw(ticks,
        optDoubles(o, p, "load_avg", 3, 0, 1e6),
        optDoubles(o, p, "freq_mhz", MAX_CORES, 0, 1e5));
  }

  public JsonObject toJson() {
    JsonArray cores = new JsonArray();
    for (long[] t : ticks) {
      JsonArray a = new JsonArray();
      for (long v : t) {
        a.add(v >= 0 ? (Object) v : new java.math.BigInteger(Long.toUnsignedString(v)));
      }
      cores.add(a);
    }
    JsonObject o = new JsonObject().put("ticks_ms_total", cores);
    putOpt(o, "load_avg", loadAvg == null ? null : new JsonArray(List.copyOf(loadAvg)));
    return putOpt(o, "freq_mhz", freqMhz == null ? null : new JsonArray(List.copyOf(freqMhz)));
  }
}
