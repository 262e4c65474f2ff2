package dev.trainwatch.ingest;

import com.fasterxml.jackson.core.JsonToken;
import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.bus.JsonCursor;
import dev.trainwatch.bus.raw.RawSnapshot;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Parses an ingest body: one snapshot, or {@code {"snapshots": [...]}} (a replayed backlog, oldest
 * first). Pure. The whole body is validated before anything is stored, so a bad batch changes
 * nothing.
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

  /**
   * Streams the body straight into records ({@link RawSnapshot#read}), no JSON tree. The top level
   * is read as a snapshot until the key {@code snapshots} shows up, which makes it a batch whatever
   * else the object holds (then the other members are skipped). If the snapshot reading fails
   * first, the rest of the top level is scanned for that key; when it is there the body is read
   * again as a batch, so a snapshot's faults never mask a batch. Otherwise the first fault in the
   * text is the answer ({@link JsonCursor}).
   */
  public static List<RawSnapshot> parse(Buffer body) {
    return read(body).snapshots();
  }

  /**
   * What a body held, and whether it was a batch ({@code {"snapshots": [...]}}, fields then named
   * by index).
   */
  public record Parsed(List<RawSnapshot> snapshots, boolean batch) {}

  public static Parsed read(Buffer body) {
    try (JsonCursor c = JsonCursor.open(body, "")) {
      if (c.first() != JsonToken.START_OBJECT) {
        throw notAnObject();
      }
      RawSnapshot.Members single = new RawSnapshot.Members();
      List<RawSnapshot> batch = null;
      try {
        for (String k; (k = c.nextKey()) != null; ) {
          if (k.equals("snapshots")) {
            batch = List.of(); // a batch from here on, even if reading it fails
            batch = batch(c);
          } else if (batch == null) {
            single.read(k, c);
          } else {
            c.skipValue();
          }
        }
      } catch (InvalidPayloadException e) {
        if (batch == null && c.laterRootKey("snapshots")) {
          return new Parsed(batchOnly(body), true);
        }
        throw e;
      }
      Parsed out =
          batch != null ? new Parsed(batch, true) : new Parsed(List.of(single.build(c)), false);
      c.finish();
      return out;
    } catch (JsonCursor.Malformed e) {
      throw new NotJson(e.getMessage());
    }
  }

  /**
   * The body's top level when it is known to be a batch: only the (last) {@code snapshots} member
   * counts.
   */
  private static List<RawSnapshot> batchOnly(Buffer body) {
    try (JsonCursor c = JsonCursor.open(body, "")) {
      c.next();
      List<RawSnapshot> batch = null;
      for (String k; (k = c.nextKey()) != null; ) {
        if (k.equals("snapshots")) {
          batch = batch(c);
        } else {
          c.skipValue();
        }
      }
      c.finish();
      return batch;
    }
  }

  private static List<RawSnapshot> batch(JsonCursor c) {
    List<RawSnapshot> a = c.optList(MAX_BATCH, RawSnapshot::read);
    if (a == null || a.isEmpty()) {
      throw new InvalidPayloadException("snapshots", "must be a non-empty array");
    }
    return a;
  }

  private static InvalidPayloadException notAnObject() {
    return new InvalidPayloadException(
        "", "body must be a JSON object: one snapshot or {\"snapshots\": [...]}");
  }
}
