package dev.trainwatch.bus.derived;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code system/bottleneck} channel data: the label, the reasons (rule that fired and the
 * numbers behind it), and flags that stand beside the label (e.g. {@code gpu-throttled:0}).
 */
public record Bottleneck(String label, List<String> reasons, List<String> flags) {

  public static Bottleneck fromJson(JsonObject o, String p) {
    List<String> r = optStrings(o, p, "reasons", 64, 512);
    List<String> f = optStrings(o, p, "flags", 64, 128);
    return new Bottleneck(
        reqString(o, p, "label", 64), r == null ? List.of() : r, f == null ? List.of() : f);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("label", label)
        .put("reasons", new JsonArray(List.copyOf(reasons)))
        .put("flags", new JsonArray(List.copyOf(flags)));
  }
}
