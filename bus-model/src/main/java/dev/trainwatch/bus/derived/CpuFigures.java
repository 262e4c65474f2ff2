package dev.trainwatch.bus.derived;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code system/cpu} channel data: busy % (everything but idle and iowait) in total and per
 * core, iowait % apart, steal %, load average. Percentages are of the whole machine (total) or of
 * one core (per core), in [0, 100].
 */
public record CpuFigures(
    Double utilization, List<Double> perCore, Double iowait, Double steal, List<Double> loadAvg) {

  public static CpuFigures fromJson(JsonObject o, String p) {
    return new CpuFigures(
        optDouble(o, p, "utilization", 0, 100),
        optDoubles(o, p, "per_core", 4096, 0, 100),
        optDouble(o, p, "iowait", 0, 100),
        optDouble(o, p, "steal", 0, 100),
        optDoubles(o, p, "load_avg", 3, 0, 1e6));
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    putOpt(o, "utilization", utilization);
    putOpt(o, "per_core", perCore == null ? null : new JsonArray(List.copyOf(perCore)));
    putOpt(o, "iowait", iowait);
    putOpt(o, "steal", steal);
    return putOpt(o, "load_avg", loadAvg == null ? null : new JsonArray(List.copyOf(loadAvg)));
  }
}
