package dev.trainwatch.history;

import static dev.trainwatch.history.Layout.*;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
// Internal API, allow-listed with its reason in launcher's InternalApiFenceTest.
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
 * Renders the history document (CONTRACT.md §2) straight to UTF-8 bytes. Each point is one aggregated step in the
 * derived snapshot's shape (CONTRACT.md §4) with averages, except figures whose meaning is a capacity or a running
 * total (RAM/swap/GPU memory totals, power limit, ECC total), which take the step's last value, and
 * {@code gpu_util_max}, the step's maximum. Host figures also get their step minimum and maximum under {@code min}
 * and {@code max}, keyed like the positions in {@link Layout}.
 *
 * <p>A streaming generator rather than a {@link JsonObject} tree: 720 points of ~230 values each would otherwise be
 * built as maps, deep-copied by the local event bus and encoded again by the gateway. The bytes are what
 * {@code JsonObject.encode()} of the equivalent tree gives (same field order, same number formatting).
 */
final class Points {
  private Points() {}

  /**
   * Jackson's fast double writer (Schubfach) rather than {@link Double#toString(double)}: a month of points is about
   * a million numbers. For the values {@link #num} leaves, both print the same text (PointsTest compares them).
   */
  private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  /** Names by position, from {@code server_devices}; positions beyond them stay unnamed. */
  record Names(JsonArray gpus, List<String> disks, List<String> nics) {
    static final Names NONE = new Names(new JsonArray(), List.of(), List.of());
  }

  /** {@code {server, step_s, resolution, from, to, points}}, encoded. */
  static Buffer document(String server, int step, String resolution, Instant from, Instant to, List<Agg> aggs,
                         Names names) {
    // Sized for the usual point (~6 kB with 8 GPUs) so the buffer is not regrown and copied on the way.
    ByteBuf out = Unpooled.buffer(1024 + aggs.size() * 6144);
    OutputStream sink = new ByteBufOutputStream(out);
    try (JsonGenerator g = JSON.createGenerator(sink, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("server", server);
      g.writeNumberField("step_s", step);
      g.writeStringField("resolution", resolution);
      g.writeStringField("from", dev.trainwatch.bus.Json.ts(from));
      g.writeStringField("to", dev.trainwatch.bus.Json.ts(to));
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

  // Field names pre-encoded once: ~230 per point, 720 points.
  private static final SerializedString K_AVERAGE_POWER = new SerializedString("average_power");
  private static final SerializedString K_BOTTLENECK = new SerializedString("bottleneck");
  private static final SerializedString K_CPU = new SerializedString("cpu");
  private static final SerializedString K_DISK = new SerializedString("disk");
  private static final SerializedString K_DISKS = new SerializedString("disks");
  private static final SerializedString K_DOWNLOAD_RATE = new SerializedString("download_rate");
  private static final SerializedString K_ECC_UNCORRECTED_TOTAL = new SerializedString("ecc_uncorrected_total");
  private static final SerializedString K_GAP = new SerializedString("gap");
  private static final SerializedString K_GPU_MEMORY_TOTAL = new SerializedString("gpu_memory_total");
  private static final SerializedString K_GPU_MEMORY_USED = new SerializedString("gpu_memory_used");
  private static final SerializedString K_GPU_UTIL_AVG = new SerializedString("gpu_util_avg");
  private static final SerializedString K_GPU_UTIL_MAX = new SerializedString("gpu_util_max");
  private static final SerializedString K_GPUS = new SerializedString("gpus");
  private static final SerializedString K_INDEX = new SerializedString("index");
  private static final SerializedString K_INTERFACES = new SerializedString("interfaces");
  private static final SerializedString K_INTERVAL_S = new SerializedString("interval_s");
  private static final SerializedString K_IOWAIT = new SerializedString("iowait");
  private static final SerializedString K_LABEL = new SerializedString("label");
  private static final SerializedString K_LOAD_AVG = new SerializedString("load_avg");
  private static final SerializedString K_MAX = new SerializedString("max");
  private static final SerializedString K_MEMORY = new SerializedString("memory");
  private static final SerializedString K_MEMORY_TOTAL = new SerializedString("memory_total");
  private static final SerializedString K_MEMORY_USED = new SerializedString("memory_used");
  private static final SerializedString K_MIN = new SerializedString("min");
  private static final SerializedString K_NAME = new SerializedString("name");
  private static final SerializedString K_NETWORK = new SerializedString("network");
  private static final SerializedString K_PCIE_RX_RATE = new SerializedString("pcie_rx_rate");
  private static final SerializedString K_PCIE_TX_RATE = new SerializedString("pcie_tx_rate");
  private static final SerializedString K_PER_CORE = new SerializedString("per_core");
  private static final SerializedString K_POWER = new SerializedString("power");
  private static final SerializedString K_POWER_LIMIT = new SerializedString("power_limit");
  private static final SerializedString K_RAM_AVAILABLE = new SerializedString("ram_available");
  private static final SerializedString K_RAM_TOTAL = new SerializedString("ram_total");
  private static final SerializedString K_RAM_USED = new SerializedString("ram_used");
  private static final SerializedString K_READ_RATE = new SerializedString("read_rate");
  private static final SerializedString K_SAMPLES = new SerializedString("samples");
  private static final SerializedString K_STEAL = new SerializedString("steal");
  private static final SerializedString K_SWAP_IN_RATE = new SerializedString("swap_in_rate");
  private static final SerializedString K_SWAP_OUT_RATE = new SerializedString("swap_out_rate");
  private static final SerializedString K_SWAP_TOTAL = new SerializedString("swap_total");
  private static final SerializedString K_SWAP_USED = new SerializedString("swap_used");
  private static final SerializedString K_TS = new SerializedString("ts");
  private static final SerializedString K_UPLOAD_RATE = new SerializedString("upload_rate");
  private static final SerializedString K_UTILIZATION = new SerializedString("utilization");
  private static final SerializedString K_WRITE_RATE = new SerializedString("write_rate");
  private static final SerializedString[] H_NAMES = serialized(H_KEYS);
  private static final SerializedString[] M_NAMES = serialized(M_KEYS);
  private static final SerializedString[] GS_NAMES = serialized(GS_KEYS);
  private static final SerializedString[] D_NAMES = serialized(D_KEYS);
  private static final SerializedString[] N_NAMES = serialized(N_KEYS);

  private static SerializedString[] serialized(String[] keys) {
    SerializedString[] out = new SerializedString[keys.length];
    for (int i = 0; i < keys.length; i++) {
      out[i] = new SerializedString(keys[i]);
    }
    return out;
  }

  void point(JsonGenerator p, Agg a, Names names) throws IOException {
    Agg.Stat h = a.group(H);
    Agg.Stat m = a.group(M);
    p.writeStartObject();
    p.writeFieldName(K_TS);
    p.writeString(dev.trainwatch.bus.Json.ts(Instant.ofEpochSecond(a.start)));
    p.writeFieldName(K_SAMPLES);
    p.writeNumber(a.samples);
    put(p, K_INTERVAL_S, h.avg(0));
    p.writeFieldName(K_GAP);
    p.writeBoolean(a.gaps > 0);
    p.writeFieldName(K_CPU);
    p.writeStartObject();
    put(p, K_UTILIZATION, h.avg(1));
    Agg.Stat c = a.group(C);
    if (c.len > 0) {
      p.writeFieldName(K_PER_CORE);
      p.writeStartArray();
      for (int i = 0; i < c.len; i++) {
        number(p, c.avg(i));
      }
      p.writeEndArray();
    }
    put(p, K_IOWAIT, h.avg(2));
    put(p, K_STEAL, h.avg(3));
    if (!Double.isNaN(h.avg(4))) {
      p.writeFieldName(K_LOAD_AVG);
      p.writeStartArray();
      number(p, h.avg(4));
      number(p, h.avg(5));
      number(p, h.avg(6));
      p.writeEndArray();
    }
    p.writeEndObject();
    p.writeFieldName(K_MEMORY);
    p.writeStartObject();
    putLong(p, K_RAM_USED, m.avg(0));
    putLong(p, K_RAM_TOTAL, m.last(1));
    putLong(p, K_RAM_AVAILABLE, m.avg(2));
    putLong(p, K_SWAP_USED, m.avg(3));
    putLong(p, K_SWAP_TOTAL, m.last(4));
    put(p, K_SWAP_IN_RATE, h.avg(7));
    put(p, K_SWAP_OUT_RATE, h.avg(8));
    p.writeEndObject();
    p.writeFieldName(K_DISK);
    p.writeStartObject();
    put(p, K_READ_RATE, h.avg(9));
    put(p, K_WRITE_RATE, h.avg(10));
    devices(p, K_DISKS, a.group(D), D_NAMES, names.disks());
    p.writeEndObject();
    p.writeFieldName(K_NETWORK);
    p.writeStartObject();
    put(p, K_UPLOAD_RATE, h.avg(11));
    put(p, K_DOWNLOAD_RATE, h.avg(12));
    devices(p, K_INTERFACES, a.group(N), N_NAMES, names.nics());
    p.writeEndObject();
    gpus(p, a, names.gpus());
    put(p, K_GPU_UTIL_MAX, h.max(13));
    put(p, K_GPU_UTIL_AVG, h.avg(14));
    putLong(p, K_GPU_MEMORY_USED, m.avg(5));
    putLong(p, K_GPU_MEMORY_TOTAL, m.last(6));
    String label = a.label();
    if (label != null) {
      p.writeFieldName(K_BOTTLENECK);
      p.writeStartObject();
      p.writeFieldName(K_LABEL);
      p.writeString(label);
      p.writeEndObject();
    }
    extremes(p, K_MIN, h, m, true);
    extremes(p, K_MAX, h, m, false);
    p.writeEndObject();
  }

  /** The point's {@code min} or {@code max} object over the host figures. */
  private void extremes(JsonGenerator p, SerializedString key, Agg.Stat h, Agg.Stat m, boolean min) throws IOException {
    p.writeFieldName(key);
    p.writeStartObject();
    for (int i = 1; i < H_KEYS.length; i++) {
      put(p, H_NAMES[i], min ? h.min(i) : h.max(i));
    }
    for (int i = 0; i < M_KEYS.length; i++) {
      putLong(p, M_NAMES[i], min ? m.min(i) : m.max(i));
    }
    p.writeEndObject();
  }

  private void gpus(JsonGenerator p, Agg a, JsonArray named) throws IOException {
    Agg.Stat s = a.group(GS);
    Agg.Stat f = a.group(GF);
    p.writeFieldName(K_GPUS);
    p.writeStartArray();
    int count = Math.max(s.len / GS_KEYS.length, f.len / GF_KEYS.length);
    for (int g = 0; g < count; g++) {
      p.writeStartObject();
      int base = g * GS_KEYS.length;
      double index = s.last(base);
      p.writeFieldName(K_INDEX);
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
      for (int k = 1; k < GS_KEYS.length; k++) {
        put(p, GS_NAMES[k], s.avg(base + k));
      }
      base = g * GF_KEYS.length;
      putLong(p, K_MEMORY_USED, f.avg(base));
      putLong(p, K_MEMORY_TOTAL, f.last(base + 1));
      put(p, K_POWER, f.avg(base + 2));
      put(p, K_AVERAGE_POWER, f.avg(base + 3));
      put(p, K_POWER_LIMIT, f.last(base + 4));
      put(p, K_PCIE_RX_RATE, f.avg(base + 5));
      put(p, K_PCIE_TX_RATE, f.avg(base + 6));
      putLong(p, K_ECC_UNCORRECTED_TOTAL, f.last(base + 7));
      p.writeEndObject();
    }
    p.writeEndArray();
  }

  private void devices(JsonGenerator p, SerializedString field, Agg.Stat s, SerializedString[] keys,
                              List<String> names)
      throws IOException {
    p.writeFieldName(field);
    p.writeStartArray();
    for (int i = 0; i < s.len / keys.length; i++) {
      p.writeStartObject();
      p.writeFieldName(K_NAME);
      p.writeString(i < names.size() ? names.get(i) : "#" + i);
      for (int k = 0; k < keys.length; k++) {
        put(p, keys[k], s.avg(i * keys.length + k));
      }
      p.writeEndObject();
    }
    p.writeEndArray();
  }

  /** Storage keeps 24 bits of mantissa; printing 17 digits of a float widened to double would be noise. */
  static double num(double v) {
    if (Math.abs(v) >= 1e5) {
      return Math.rint(v);
    }
    return Math.rint(v * 1e4) / 1e4;
  }

  private void put(JsonGenerator p, SerializedString k, double v) throws IOException {
    if (!Double.isNaN(v)) {
      p.writeFieldName(k);
      number(p, v);
    }
  }

  /** {@code num(v)} as a JSON number, printed by Jackson's Schubfach writer (see {@link #JSON}). */
  void number(JsonGenerator p, double v) throws IOException {
    p.writeNumber(num(v));
  }

  private void putLong(JsonGenerator p, SerializedString k, double v) throws IOException {
    if (!Double.isNaN(v)) {
      p.writeFieldName(k);
      p.writeNumber(Math.round(v));
    }
  }
}
