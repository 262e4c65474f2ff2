package dev.trainwatch.bus;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A history range for one server. {@code stepS} is the requested bucket width (null: let the
 * history verticle pick one that yields at most ~1,000 points).
 */
public record HistoryQuery(String server, Instant from, Instant to, Integer stepS) {

  public static HistoryQuery fromJson(JsonObject o) {
    HistoryQuery q =
        new HistoryQuery(
            reqString(o, "", "server", 64),
            reqInstant(o, "", "from"),
            reqInstant(o, "", "to"),
            optLong(o, "", "step_s", 1, 86_400 * 31) == null
                ? null
                : (int) (long) optLong(o, "", "step_s", 1, 86_400 * 31));
    if (!q.from.isBefore(q.to)) {
      throw new InvalidPayloadException("from", "must be before to");
    }
    return q;
  }

  public JsonObject toJson() {
    JsonObject o =
        new JsonObject().put("server", server).put("from", Json.ts(from)).put("to", Json.ts(to));
    return putOpt(o, "step_s", stepS);
  }
}
