package dev.trainwatch.bus.raw;

import static dev.trainwatch.bus.Json.*;

import dev.trainwatch.bus.JsonCursor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The bus envelope of one raw snapshot: which server it is for (from the ingest URL or {@code
 * local}, never from the agent's body) and the address it came from.
 */
public record RawSample(String server, String sourceIp, RawSnapshot snapshot) {

  public static RawSample fromJson(JsonObject o) {
    return JsonCursor.readObject(o, "", RawSample::read);
  }

  /** Straight from the cluster wire, no tree on the way. */
  public static RawSample fromJson(Buffer json) {
    return JsonCursor.readObject(json, "", RawSample::read);
  }

  public static RawSample read(JsonCursor c) {
    String server = null, sourceIp = null;
    RawSnapshot snapshot = null;
    for (String k; (k = c.nextKey()) != null; ) {
      switch (k) {
        case "server" -> server = c.reqString(64);
        case "source_ip" -> sourceIp = c.optString(64);
        case "snapshot" -> snapshot = c.optObject() ? RawSnapshot.read(c) : null;
        default -> c.skipValue();
      }
    }
    if (server == null) {
      throw c.missing("server");
    }
    if (snapshot == null) {
      throw c.missing("snapshot");
    }
    return new RawSample(server, sourceIp, snapshot);
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("server", server);
    putOpt(o, "source_ip", sourceIp);
    return o.put("snapshot", snapshot.toJson());
  }
}
