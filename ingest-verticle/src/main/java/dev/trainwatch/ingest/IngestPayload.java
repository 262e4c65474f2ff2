package dev.trainwatch.ingest;

import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.raw.RawSnapshot;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses an ingest body: one snapshot, or {@code {"snapshots": [...]}} (a replayed backlog, oldest first). Pure. The
 * whole body is validated before anything is stored, so a bad batch changes nothing.
 */
public final class IngestPayload {
  private IngestPayload() {}

  public static final int MAX_BATCH = 1000;

  /** Not JSON at all (as opposed to JSON that breaks the contract). */
  public static final class NotJson extends RuntimeException {
    NotJson(String message) {
      super(message, null, false, false);
    }
  }

  public static List<RawSnapshot> parse(Buffer body) {
    Object root;
    try {
      root = Json.decode(body);
    } catch (DecodeException e) {
      throw new NotJson(conciseJacksonMessage(e.getMessage()));
    }
    if (!(root instanceof JsonObject o)) {
      throw new InvalidPayloadException("", "body must be a JSON object: one snapshot or {\"snapshots\": [...]}");
    }
    if (!o.containsKey("snapshots")) {
      return List.of(RawSnapshot.fromJson(o));
    }
    JsonArray a = Json.optArray(o, "", "snapshots", MAX_BATCH);
    if (a == null || a.isEmpty()) {
      throw new InvalidPayloadException("snapshots", "must be a non-empty array");
    }
    List<RawSnapshot> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      String p = Json.path("snapshots", i);
      out.add(RawSnapshot.fromJson(Json.objectAt(a, "snapshots", i), p));
    }
    return out;
  }

  /** Jackson's messages carry a source excerpt; the first line says what is wrong and where. */
  private static String conciseJacksonMessage(String m) {
    if (m == null) {
      return "body is not valid JSON";
    }
    int nl = m.indexOf('\n');
    String first = nl < 0 ? m : m.substring(0, nl);
    return first.length() > 300 ? first.substring(0, 300) : first;
  }
}
