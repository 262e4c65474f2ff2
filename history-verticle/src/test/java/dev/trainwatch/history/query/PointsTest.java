package dev.trainwatch.history.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.NumberOutput;
import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.derived.*;
import dev.trainwatch.history.Snapshots;
import dev.trainwatch.history.layout.Fields;
import dev.trainwatch.history.layout.Layout;
import dev.trainwatch.history.layout.Scale;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The streamed history document against the JsonObject tree it replaced ({@link JsonTreePoints},
 * encoded as the gateway used to), and the binary array parsing in {@link Agg} against the boxed
 * per-element aggregation it replaced. Both must be the same to the byte.
 */
public class PointsTest {
  public static final Instant T = Instant.parse("2026-11-22T08:00:00Z");

  /** A sample with most figures absent: null rollups, no devices, no per-core list. */
  static DerivedSnapshot sparse(String server, long seq, Instant ts) {
    return new DerivedSnapshot(
        server,
        ts,
        "boot-a",
        seq,
        1.0,
        seq % 2 == 0,
        null,
        new CpuFigures(null, null, null, null, null),
        new MemoryFigures(null, null, null, null, null, null, null),
        null,
        null,
        List.of(),
        new GpuRollup(null, null, null, null),
        null,
        List.of());
  }

  /**
   * Values that stress number formatting: tiny, negative, huge, exact integers, and absent ones.
   * Capacities and totals change with {@code seq}, so that a step's last value differs from its
   * average.
   */
  static DerivedSnapshot odd(String server, long seq, Instant ts) {
    List<GpuFigures> g =
        List.of(
            new GpuFigures(
                3,
                null,
                "ü \"quoted\" GPU",
                0.0004,
                -0.00001,
                123L,
                (80L << 30) + (seq << 20),
                39.99996,
                1234567.0,
                null,
                700.0 + seq,
                null,
                null,
                2619.0,
                1.5e13,
                12345678.0,
                0.0,
                0.0,
                List.of(),
                7L + seq,
                false,
                List.of()));
    return new DerivedSnapshot(
        server,
        ts,
        "boot-a",
        seq,
        0.5,
        true,
        null,
        new CpuFigures(
            0.0005 * seq,
            List.of(0.001, -0.0, 99.99),
            1e-9,
            100000.4,
            List.of(0.25, 1e7, 98765.43)),
        new MemoryFigures(1L << 40, (1L << 40) + seq, null, 0L, (8L << 30) + seq, 1e-3, 2.5e-4),
        new DiskFigures(4e6, 0.00015, List.of(new DiskRates("nvme0n1", 1.0, 2.0, 3.0, 4.0, null))),
        new NetworkFigures(2e7, 6e7, List.of(new NicRates("eth\t0", 1e10, 3e7, null))),
        g,
        new GpuRollup(0.5, null, 9L, (80L << 30) - seq),
        new Bottleneck(seq % 3 == 0 ? "io-bound" : "idle", List.of(), List.of()),
        List.of());
  }

  public static List<DerivedSnapshot> fixture() {
    List<DerivedSnapshot> out = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Instant ts = T.plusSeconds(i);
      out.add(
          switch (i % 5) {
            case 0 -> sparse("x", i, ts);
            case 1 -> odd("x", i, ts);
            default -> Snapshots.node("x", i, ts, 37.3 * i % 100);
          });
    }
    return out;
  }

  static Points.Names names() {
    JsonArray gpus = new JsonArray();
    for (int i = 0; i < 8; i++) {
      gpus.add(
          new JsonObject()
              .put("index", i)
              .put("uuid", "GPU-" + i)
              .put("name", "NVIDIA H100 \"80GB\" é"));
    }
    return new Points.Names(gpus, List.of("nvme0n1", "dïsk\\1"), List.of("eth0"));
  }

  @Test
  void streamedDocumentIsTheSameBytesAsTheJsonTree() {
    List<DerivedSnapshot> snaps = fixture();
    for (int step : new int[] {1, 5, 60}) {
      List<Agg> parsed = new ArrayList<>();
      List<Agg> boxed = new ArrayList<>();
      for (DerivedSnapshot s : snaps) {
        long start = Math.floorDiv(s.ts().getEpochSecond(), step) * step;
        if (parsed.isEmpty() || parsed.get(parsed.size() - 1).start != start) {
          parsed.add(new Agg(start));
          boxed.add(new Agg(start));
        }
        Layout.Encoded e = Layout.encode(s);
        String bn = s.bottleneck() == null ? null : s.bottleneck().label();
        parsed.get(parsed.size() - 1).addRaw(s.gap(), bn, prefixed(arraySend(e)), 5);
        addRawBoxed(boxed.get(boxed.size() - 1), s.gap(), bn, e);
      }
      for (Points.Names n : List.of(names(), Points.Names.NONE)) {
        String expected = jsonTree("x", step, "raw", T, T.plusSeconds(40), boxed, n).encode();
        Buffer actual = Points.document("x", step, "raw", T, T.plusSeconds(40), parsed, n);
        assertThat(actual.toString()).isEqualTo(expected);
      }
    }
  }

  @Test
  void hourlyRowsParseLikeTheBoxedArrays() {
    // Three "hours", each the aggregate of part of the fixture, merged into one step as the hourly
    // query does.
    List<DerivedSnapshot> snaps = fixture();
    Agg parsed = new Agg(0);
    Agg boxed = new Agg(0);
    for (int h = 0; h < 3; h++) {
      Agg hour = new Agg(h * 3600L);
      for (DerivedSnapshot s : snaps.subList(h * 13, h * 13 + 13)) {
        hour.addRaw(
            s.gap(),
            s.bottleneck() == null ? null : s.bottleneck().label(),
            arraySend(Layout.encode(s)),
            0);
      }
      Float[][] arrays = new Float[Layout.GROUPS.length][];
      for (int g = 0; g < arrays.length; g++) {
        arrays[g] = hour.hourlyArray(g);
      }
      parsed.addHourly(hour.samples, hour.gaps, hour.label(), prefixed(arraySendReal(arrays)), 5);
      addHourlyBoxed(boxed, hour.samples, hour.gaps, hour.label(), arrays);
    }
    String expected = jsonTree("x", 3600, "hourly", T, T, List.of(boxed), names()).encode();
    assertThat(Points.document("x", 3600, "hourly", T, T, List.of(parsed), names()).toString())
        .isEqualTo(expected);
  }

  /**
   * The fast writer must print every value {@link Points#num} can leave exactly as the tree's
   * Double.toString did.
   */
  @Test
  void numbersArePrintedAsDoubleToStringPrintsThem() {
    for (long n = -2_000_000; n <= 2_000_000; n++) {
      check(n / 1e4);
    }
    Random r = new Random(42);
    for (int i = 0; i < 2_000_000; i++) {
      double v = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(34) - 12);
      check(v);
      check(Math.rint(v));
    }
    for (double v :
        new double[] {
          0.0,
          -0.0,
          -0.00001,
          0.00004,
          0.00005,
          1e-3,
          9.99995e-4,
          99999.99996,
          1e5,
          1e7,
          9999999.4,
          12345678.0,
          1e15,
          9.007199254740991e15,
          1e16,
          1e300,
          Double.MIN_VALUE
        }) {
      check(v);
    }
  }

  /**
   * Same text below 2^53 (every figure a history point carries in practice). Above, JDK 17's
   * Double.toString is not always the shortest decimal and Schubfach is: the text may differ, the
   * number it denotes may not.
   */
  private static void check(double v) {
    double shown = Points.num(v);
    String fast = NumberOutput.toString(shown, true);
    if (Math.abs(shown) < 9.007199254740992e15) {
      assertThat(fast).as("num(%s)", v).isEqualTo(Double.toString(shown));
    } else {
      assertThat(Double.parseDouble(fast)).as("num(%s) = %s", v, fast).isEqualTo(shown);
    }
  }

  /** The reply as the JsonObject version of HistoryQueries built it. */
  public static JsonObject jsonTree(
      String server,
      int step,
      String resolution,
      Instant from,
      Instant to,
      List<Agg> aggs,
      Points.Names names) {
    JsonArray points = new JsonArray();
    for (Agg a : aggs) {
      points.add(JsonTreePoints.point(a, names));
    }
    return new JsonObject()
        .put("server", server)
        .put("step_s", step)
        .put("resolution", resolution)
        .put("from", Json.ts(from))
        .put("to", Json.ts(to))
        .put("points", points);
  }

  /** The per-element aggregation of a raw row that reading boxed arrays did. */
  public static void addRawBoxed(Agg a, boolean gap, String bn, Layout.Encoded e) {
    a.samples++;
    if (gap) {
      a.gaps++;
    }
    if (bn != null) {
      a.countLabel(bn, 1);
    }
    for (int i = 0; i < e.h().length; i++) {
      a.group(Layout.H).add(i, e.h()[i]);
    }
    for (int i = 0; i < e.m().length; i++) {
      a.group(Layout.M).add(i, e.m()[i] == Scale.NO_LONG ? Double.NaN : e.m()[i]);
    }
    for (int i = 0; i < e.c().length; i++) {
      a.group(Layout.C).add(i, Fields.CORE.scale().value(e.c()[i]));
    }
    for (int i = 0; i < e.gs().length; i++) {
      a.group(Layout.GS)
          .add(
              i,
              Fields.GpuSmall.ALL[i % Fields.GpuSmall.ALL.length].field.scale().value(e.gs()[i]));
    }
    float[][] fl = {e.gf(), e.d(), e.n()};
    int[] g = {Layout.GF, Layout.D, Layout.N};
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < fl[k].length; i++) {
        a.group(g[k]).add(i, fl[k][i]);
      }
    }
  }

  static void addHourlyBoxed(Agg a, long w, long gaps, String bn, Float[][] arrays) {
    a.samples += w;
    a.gaps += gaps;
    if (bn != null) {
      a.countLabel(bn, w);
    }
    for (int g = 0; g < arrays.length; g++) {
      Float[] x = arrays[g];
      int len = x.length / 4;
      a.group(g).grow(len);
      for (int i = 0; i < len; i++) {
        a.group(g).merge(i, x[i], x[len + i], x[2 * len + i], x[3 * len + i], w);
      }
    }
  }

  /** Five bytes of something else first, as when the row's value sits inside a larger buffer. */
  static byte[] prefixed(byte[] a) {
    byte[] out = new byte[a.length + 5];
    Arrays.fill(out, 0, 5, (byte) 0x7f);
    System.arraycopy(a, 0, out, 5, a.length);
    return out;
  }

  /** The seven arrays as {@code array_send(h) || … || array_send(n)} returns them. */
  static byte[] arraySend(Layout.Encoded e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeArray(out, 700, e.h().length, 4, i -> ByteBuffer.allocate(4).putFloat(e.h()[i]).array());
    writeArray(out, 20, e.m().length, 8, i -> ByteBuffer.allocate(8).putLong(e.m()[i]).array());
    writeArray(out, 21, e.c().length, 2, i -> ByteBuffer.allocate(2).putShort(e.c()[i]).array());
    writeArray(out, 21, e.gs().length, 2, i -> ByteBuffer.allocate(2).putShort(e.gs()[i]).array());
    writeArray(out, 700, e.gf().length, 4, i -> ByteBuffer.allocate(4).putFloat(e.gf()[i]).array());
    writeArray(out, 700, e.d().length, 4, i -> ByteBuffer.allocate(4).putFloat(e.d()[i]).array());
    writeArray(out, 700, e.n().length, 4, i -> ByteBuffer.allocate(4).putFloat(e.n()[i]).array());
    return out.toByteArray();
  }

  static byte[] arraySendReal(Float[][] arrays) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Float[] a : arrays) {
      writeArray(out, 700, a.length, 4, i -> ByteBuffer.allocate(4).putFloat(a[i]).array());
    }
    return out.toByteArray();
  }

  private static void writeArray(
      ByteArrayOutputStream out, int oid, int n, int size, IntFunction<byte[]> element) {
    ByteBuffer head =
        ByteBuffer.allocate(n == 0 ? 12 : 20).putInt(n == 0 ? 0 : 1).putInt(0).putInt(oid);
    if (n > 0) {
      head.putInt(n).putInt(1);
    }
    out.writeBytes(head.array());
    for (int i = 0; i < n; i++) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(size).array());
      out.writeBytes(element.apply(i));
    }
  }

  @Test
  void fixtureCoversTheShapes() {
    assertThat(fixture()).extracting(s -> s.gpus().size()).contains(0, 1, 8);
  }
}
