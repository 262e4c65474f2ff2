package dev.trainwatch.bus.derived;

import dev.trainwatch.bus.Json;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A derived snapshot that went out live before it was committed, and then was not: storage refused
 * it or did not answer. Live frames no longer wait for the disk (issue 17), so this mark is how the
 * gateway and the dashboard learn that what they showed is not in history. {@code code} is the
 * {@link dev.trainwatch.bus.FailureCode#code()} name.
 */
public record Unstored(String server, Instant ts, String bootId, long seq, String code) {
  public static Unstored of(DerivedSnapshot s, String code) {
    return new Unstored(s.server(), s.ts(), s.bootId(), s.seq(), code);
  }

  public static Unstored fromJson(JsonObject o) {
    return new Unstored(
        Json.reqString(o, "", "server", 64),
        Json.reqInstant(o, "", "ts"),
        Json.reqString(o, "", "boot_id", 64),
        Json.reqLong(o, "", "seq", 0, Long.MAX_VALUE),
        Json.reqString(o, "", "code", 64));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("server", server)
        .put("ts", Json.ts(ts))
        .put("boot_id", bootId)
        .put("seq", seq)
        .put("code", code);
  }
}
