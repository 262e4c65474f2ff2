package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import com.fasterxml.jackson.core.JsonToken;
import dev.trainwatch.bus.JsonCursor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * Per-logical-core tick counters in milliseconds, eight states each in the order of {@link
 * #STATES}, plus the load average and per-core frequency. {@code ticks[core][state]} holds unsigned
 * counters.
 */
public record CpuRaw(long[][] ticks, List<Double> loadAvg, List<Double> freqMhz) {
  public static final List<String> STATES =
      List.of("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal");
  public static final int USER = 0,
      NICE = 1,
      SYSTEM = 2,
      IDLE = 3,
      IOWAIT = 4,
      IRQ = 5,
      SOFTIRQ = 6,
      STEAL = 7;
  public static final int MAX_CORES = 4096;
  private static final String CORE = "must be an array of 8 tick counters " + STATES;

  public static CpuRaw fromJson(JsonObject o, String p) {
    return JsonCursor.readObject(o, p, CpuRaw::read);
  }

  public static CpuRaw read(JsonCursor c) {
    long[][] ticks = new long[0][];
    List<Double> loadAvg = null, freqMhz = null;
    for (String k; (k = c.nextKey()) != null; ) {
      switch (k) {
        case "ticks_ms_total" -> ticks = c.optArray() ? readTicks(c) : new long[0][];
        case "load_avg" -> loadAvg = c.optDoubles(3, 0, 1e6);
        case "freq_mhz" -> freqMhz = c.optDoubles(MAX_CORES, 0, 1e5);
        default -> c.skipValue();
      }
    }
    return new CpuRaw(ticks, loadAvg, freqMhz);
  }

  /**
   * The hot loop of a snapshot (cores x 8 counters): primitives only, paths built only on error.
   */
  private static long[][] readTicks(JsonCursor c) {
    long[][] ticks = new long[64][];
    int n = 0;
    for (JsonToken t = c.next(); t != JsonToken.END_ARRAY; t = c.next()) {
      if (n == MAX_CORES) {
        throw c.tooMany(n, MAX_CORES);
      }
      if (n == ticks.length) {
        ticks = Arrays.copyOf(ticks, n * 2);
      }
      ticks[n++] = readCore(c, t);
    }
    return n == ticks.length ? ticks : Arrays.copyOf(ticks, n);
  }

  private static long[] readCore(JsonCursor c, JsonToken t) {
    if (t != JsonToken.START_ARRAY) {
      throw c.bad(CORE);
    }
    long[] row = new long[STATES.size()];
    int s = 0;
    for (t = c.next(); t != JsonToken.END_ARRAY; t = c.next()) {
      if (s == row.length) {
        throw c.oversize(() -> row.length + c.countRest(), row.length, n -> CORE + ", has " + n);
      }
      row[s++] = c.counterAt(t);
    }
    if (s != row.length) {
      throw c.bad(CORE + ", has " + s); // END_ARRAY: the core's path
    }
    return row;
  }

  public JsonObject toJson() {
    JsonArray cores = new JsonArray();
    for (long[] t : ticks) {
      JsonArray a = new JsonArray();
      for (long v : t) {
        a.add(v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v)));
      }
      cores.add(a);
    }
    JsonObject o = new JsonObject().put("ticks_ms_total", cores);
    putOpt(o, "load_avg", loadAvg == null ? null : new JsonArray(List.copyOf(loadAvg)));
    return putOpt(o, "freq_mhz", freqMhz == null ? null : new JsonArray(List.copyOf(freqMhz)));
  }
}
