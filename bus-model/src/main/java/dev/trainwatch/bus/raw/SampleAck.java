package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import io.vertx.core.json.JsonObject;

/**
 * The reply to a stored sample: {@code duplicate} when (server, boot_id, seq) had been stored
 * before.
 */
public record SampleAck(boolean duplicate) {
  public static SampleAck fromJson(JsonObject o) {
    Boolean d = optBoolean(o, "", "duplicate");
    return new SampleAck(d != null && d);
  }

  public JsonObject toJson() {
    return new JsonObject().put("duplicate", duplicate);
  }
}
