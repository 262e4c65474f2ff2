package dev.trainwatch.history.query;

import static dev.trainwatch.history.layout.Fields.Host.*;
import static dev.trainwatch.history.layout.Fields.Memory.*;
import static dev.trainwatch.history.layout.Layout.C;
import static dev.trainwatch.history.layout.Layout.D;
import static dev.trainwatch.history.layout.Layout.GF;
import static dev.trainwatch.history.layout.Layout.GS;
import static dev.trainwatch.history.layout.Layout.H;
import static dev.trainwatch.history.layout.Layout.M;
import static dev.trainwatch.history.layout.Layout.N;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.trainwatch.bus.Json;
import dev.trainwatch.history.layout.Field;
import dev.trainwatch.history.layout.Fields;
import dev.trainwatch.history.layout.Fields.Disk;
import dev.trainwatch.history.layout.Fields.GpuFloat;
import dev.trainwatch.history.layout.Fields.GpuSmall;
import dev.trainwatch.history.layout.Fields.Host;
import dev.trainwatch.history.layout.Fields.Memory;
import dev.trainwatch.history.layout.Fields.Nic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
// Internal API, allow-listed with its reason in launcher's InternalApiFenceTest.
// Vert.x internal API, on purpose: allow-listed with its reason and measurement in
// InternalApiFenceTest.
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Renders the history document (CONTRACT.md §2) straight to UTF-8 bytes. Each point is one
 * aggregated step in the derived snapshot's shape (CONTRACT.md §4), each figure the summary its
 * table in {@link Fields} names (the average, or the last value of a capacity or running total, or
 * the maximum of {@code gpu_util_max}). Host figures also get their step minimum and maximum under
 * {@code min} and {@code max}, keyed by their names.
 *
 * <p>A streaming generator rather than a {@link JsonObject} tree: 720 points of ~230 values each
 * would otherwise be built as maps, deep-copied by the local event bus and encoded again by the
 * gateway. The bytes are what {@code JsonObject.encode()} of the equivalent tree gives (same field
 * order, same number formatting).
 */
public final class Points {
  private Points() {}

  /**
   * Jackson's fast double writer (Schubfach) rather than {@link Double#toString(double)}: a month
   * of points is about a million numbers. For the values {@link #num} leaves, both print the same
   * text (PointsTest compares them).
   */
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  /** Names by position, from {@code server_devices}; positions beyond them stay unnamed. */
  public record Names(JsonArray gpus, List<String> disks, List<String> nics) {
    static final Names NONE = new Names(new JsonArray(), List.of(), List.of());
  }

  /** {@code {server, step_s, resolution, from, to, points}}, encoded. */
  static Buffer document(
      String server,
      int step,
      String resolution,
      Instant from,
      Instant to,
      List<Agg> aggs,
      Names names) {
    // Sized for the usual point (~6 kB with 8 GPUs) so the buffer is not regrown and copied on the
    // way.
    ByteBuf out = Unpooled.buffer(1024 + aggs.size() * 6144);
    OutputStream sink = new ByteBufOutputStream(out);
    try (JsonGenerator g = JSON.createGenerator(sink, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("server", server);
      g.writeNumberField("step_s", step);
      g.writeStringField("resolution", resolution);
      g.writeStringField("from", Json.ts(from));
      g.writeStringField("to", Json.ts(to));
      g.writeArrayFieldStart("points");
      Points renderer = new Points();
      for (Agg a : aggs) {
        renderer.point(g, a, names);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return BufferInternal.buffer(out);
  }

  // Keys of the point's structure, pre-encoded once; the figures' own keys come from their tables.
  private static final SerializedString K_BOTTLENECK = new SerializedString("bottleneck");
  private static final SerializedString K_CPU = new SerializedString("cpu");
  private static final SerializedString K_DISK = new SerializedString("disk");
  private static final SerializedString K_DISKS = new SerializedString("disks");
  private static final SerializedString K_GAP = new SerializedString("gap");
  private static final SerializedString K_GPUS = new SerializedString("gpus");
  private static final SerializedString K_INTERFACES = new SerializedString("interfaces");
  private static final SerializedString K_LABEL = new SerializedString("label");
  private static final SerializedString K_LOAD_AVG = new SerializedString("load_avg");
  private static final SerializedString K_MAX = new SerializedString("max");
  private static final SerializedString K_MEMORY = new SerializedString("memory");
  private static final SerializedString K_MIN = new SerializedString("min");
  private static final SerializedString K_NAME = new SerializedString("name");
  private static final SerializedString K_NETWORK = new SerializedString("network");
  private static final SerializedString K_SAMPLES = new SerializedString("samples");
  private static final SerializedString K_TS = new SerializedString("ts");

  /**
   * The point follows the derived snapshot's shape (CONTRACT.md §4), so where each host figure goes
   * is written out here; what is written for it (key, summary, number format) is its table's.
   */
  void point(JsonGenerator p, Agg a, Names names) throws IOException {
    p.writeStartObject();
    p.writeFieldName(K_TS);
    p.writeString(Json.ts(Instant.ofEpochSecond(a.start)));
    p.writeFieldName(K_SAMPLES);
    p.writeNumber(a.samples);
    put(p, a, INTERVAL_S);
    p.writeFieldName(K_GAP);
    p.writeBoolean(a.gaps > 0);
    p.writeFieldName(K_CPU);
    p.writeStartObject();
    put(p, a, CPU_UTILIZATION);
    Agg.Stat c = a.group(C);
    if (c.len > 0) {
      p.writeFieldName(Fields.CORE.leaf());
      p.writeStartArray();
      for (int i = 0; i < c.len; i++) {
        number(p, c.summary(Fields.CORE.summary(), i));
      }
      p.writeEndArray();
    }
    put(p, a, CPU_IOWAIT);
    put(p, a, CPU_STEAL);
    Agg.Stat h = a.group(H);
    if (!Double.isNaN(value(h, LOAD1.field, 0))) {
      p.writeFieldName(K_LOAD_AVG);
      p.writeStartArray();
      number(p, value(h, LOAD1.field, 0));
      number(p, value(h, LOAD5.field, 0));
      number(p, value(h, LOAD15.field, 0));
      p.writeEndArray();
    }
    p.writeEndObject();
    p.writeFieldName(K_MEMORY);
    p.writeStartObject();
    put(p, a, RAM_USED);
    put(p, a, RAM_TOTAL);
    put(p, a, RAM_AVAILABLE);
    put(p, a, SWAP_USED);
    put(p, a, SWAP_TOTAL);
    put(p, a, SWAP_IN_RATE);
    put(p, a, SWAP_OUT_RATE);
    p.writeEndObject();
    p.writeFieldName(K_DISK);
    p.writeStartObject();
    put(p, a, DISK_READ_RATE);
    put(p, a, DISK_WRITE_RATE);
    devices(p, K_DISKS, a.group(D), Disk.FIELDS, names.disks());
    p.writeEndObject();
    p.writeFieldName(K_NETWORK);
    p.writeStartObject();
    put(p, a, NET_UPLOAD_RATE);
    put(p, a, NET_DOWNLOAD_RATE);
    devices(p, K_INTERFACES, a.group(N), Nic.FIELDS, names.nics());
    p.writeEndObject();
    gpus(p, a, names.gpus());
    put(p, a, GPU_UTIL_MAX);
    put(p, a, GPU_UTIL_AVG);
    put(p, a, GPU_MEMORY_USED);
    put(p, a, GPU_MEMORY_TOTAL);
    String label = a.label();
    if (label != null) {
      p.writeFieldName(K_BOTTLENECK);
      p.writeStartObject();
      p.writeFieldName(K_LABEL);
      p.writeString(label);
      p.writeEndObject();
    }
    extremes(p, K_MIN, a, true);
    extremes(p, K_MAX, a, false);
    p.writeEndObject();
  }

  /** The point's {@code min} or {@code max} object over the host figures, keyed by their names. */
  private void extremes(JsonGenerator p, SerializedString key, Agg a, boolean min)
      throws IOException {
    p.writeFieldName(key);
    p.writeStartObject();
    Agg.Stat h = a.group(H);
    for (Host f : Host.ALL) {
      if (f.extremes) {
        put(p, f.field.key(), f.field, min ? h.min(f.field.pos()) : h.max(f.field.pos()));
      }
    }
    Agg.Stat m = a.group(M);
    for (Memory f : Memory.ALL) {
      put(p, f.field.key(), f.field, min ? m.min(f.field.pos()) : m.max(f.field.pos()));
    }
    p.writeEndObject();
  }

  private void gpus(JsonGenerator p, Agg a, JsonArray named) throws IOException {
    Agg.Stat s = a.group(GS);
    Agg.Stat f = a.group(GF);
    p.writeFieldName(K_GPUS);
    p.writeStartArray();
    Field[] small = GpuSmall.FIELDS;
    Field[] floats = GpuFloat.FIELDS;
    Field id = GpuSmall.INDEX.field;
    int count = Math.max(s.len / small.length, f.len / floats.length);
    for (int g = 0; g < count; g++) {
      p.writeStartObject();
      int base = g * small.length;
      double index = value(s, id, base);
      p.writeFieldName(id.key());
      p.writeNumber(Double.isNaN(index) ? g : (int) index);
      JsonObject name = g < named.size() ? named.getJsonObject(g) : null;
      if (name != null) {
        for (String k : name.fieldNames()) {
          if (!k.equals("index")) {
            p.writeFieldName(k);
            JacksonCodec.encodeJson(name.getValue(k), p);
          }
        }
      }
      for (Field x : small) {
        if (x != id) {
          put(p, x.key(), x, value(s, x, base));
        }
      }
      base = g * floats.length;
      for (Field x : floats) {
        put(p, x.key(), x, value(f, x, base));
      }
      p.writeEndObject();
    }
    p.writeEndArray();
  }

  private void devices(
      JsonGenerator p, SerializedString field, Agg.Stat s, Field[] fields, List<String> names)
      throws IOException {
    p.writeFieldName(field);
    p.writeStartArray();
    for (int i = 0; i < s.len / fields.length; i++) {
      p.writeStartObject();
      p.writeFieldName(K_NAME);
      p.writeString(i < names.size() ? names.get(i) : "#" + i);
      for (Field x : fields) {
        put(p, x.key(), x, value(s, x, i * fields.length));
      }
      p.writeEndObject();
    }
    p.writeEndArray();
  }

  /**
   * What the point reports for {@code f} in the device block at {@code base} (0 for a host figure).
   */
  private static double value(Agg.Stat s, Field f, int base) {
    return s.summary(f.summary(), base + f.pos());
  }

  private void put(JsonGenerator p, Agg a, Host f) throws IOException {
    put(p, f.field.leaf(), f.field, value(a.group(H), f.field, 0));
  }

  private void put(JsonGenerator p, Agg a, Memory f) throws IOException {
    put(p, f.field.leaf(), f.field, value(a.group(M), f.field, 0));
  }

  /** {@code k: v} unless v is absent, printed as its scale says. */
  private void put(JsonGenerator p, SerializedString k, Field f, double v) throws IOException {
    if (Double.isNaN(v)) {
      return;
    }
    p.writeFieldName(k);
    if (f.whole()) {
      p.writeNumber(Math.round(v));
    } else {
      number(p, v);
    }
  }

  /**
   * Storage keeps 24 bits of mantissa; printing 17 digits of a float widened to double would be
   * noise.
   */
  static double num(double v) {
    if (Math.abs(v) >= 1e5) {
      return Math.rint(v);
    }
    return Math.rint(v * 1e4) / 1e4;
  }

  /** {@code num(v)} as a JSON number, printed by Jackson's Schubfach writer (see {@link #JSON}). */
  void number(JsonGenerator p, double v) throws IOException {
    p.writeNumber(num(v));
  }
}
