package dev.trainwatch.history.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.history.layout.Scale.Pg;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The field tables against the stored layout they must keep, and against the derived records they
 * read.
 */
class FieldsTest {

  /**
   * Stored rows are decoded by these tables, so their order and scales are V2's (its migration
   * comment and SQL). Changing this list needs a migration that rewrites the rows; appending a host
   * or memory figure does not.
   */
  @Test
  void tablesKeepTheStoredLayout() {
    assertThat(describe(Fields.Host.ALL, h -> h.field))
        .containsExactly(
            "interval_s REAL",
            "cpu.utilization REAL",
            "cpu.iowait REAL",
            "cpu.steal REAL",
            "load1 REAL",
            "load5 REAL",
            "load15 REAL",
            "memory.swap_in_rate REAL",
            "memory.swap_out_rate REAL",
            "disk.read_rate REAL",
            "disk.write_rate REAL",
            "network.upload_rate REAL",
            "network.download_rate REAL",
            "gpu_util_max REAL",
            "gpu_util_avg REAL");
    assertThat(describe(Fields.Memory.ALL, m -> m.field))
        .containsExactly(
            "memory.ram_used BYTES",
            "memory.ram_total BYTES",
            "memory.ram_available BYTES",
            "memory.swap_used BYTES",
            "memory.swap_total BYTES",
            "gpu_memory_used BYTES",
            "gpu_memory_total BYTES");
    assertThat(describe(new Field[] {Fields.CORE}, f -> f)).containsExactly("cpu.per_core PERCENT");
    assertThat(describe(Fields.GpuSmall.FIELDS, f -> f))
        .containsExactly(
            "index ID",
            "utilization PERCENT",
            "memory_utilization PERCENT",
            "temperature PERCENT",
            "fan PERCENT",
            "encoder PERCENT",
            "decoder PERCENT",
            "sm_clock MHZ",
            "mem_clock MHZ");
    assertThat(describe(Fields.GpuFloat.FIELDS, f -> f))
        .containsExactly(
            "memory_used REAL_WHOLE",
            "memory_total REAL_WHOLE",
            "power REAL",
            "average_power REAL",
            "power_limit REAL",
            "pcie_rx_rate REAL",
            "pcie_tx_rate REAL",
            "ecc_uncorrected_total REAL_WHOLE");
    assertThat(describe(Fields.Disk.FIELDS, f -> f))
        .containsExactly(
            "read_rate REAL",
            "write_rate REAL",
            "read_iops REAL",
            "write_iops REAL",
            "utilization REAL");
    assertThat(describe(Fields.Nic.FIELDS, f -> f))
        .containsExactly("upload_rate REAL", "download_rate REAL", "error_rate REAL");
  }

  /**
   * A scale writes one element type; it must be the type of its group's column (V2: h real[], m
   * bigint[], …).
   */
  @Test
  void everyScaleFitsItsColumnType() {
    assertThat(Stream.of(Fields.Host.ALL).map(f -> f.field.scale().oid)).containsOnly(Pg.FLOAT4);
    assertThat(Stream.of(Fields.Memory.ALL).map(f -> f.field.scale().oid)).containsOnly(Pg.INT8);
    assertThat(Fields.CORE.scale().oid).isEqualTo(Pg.INT2);
    assertThat(Stream.of(Fields.GpuSmall.FIELDS).map(f -> f.scale().oid)).containsOnly(Pg.INT2);
    assertThat(Stream.of(Fields.GpuFloat.FIELDS).map(f -> f.scale().oid)).containsOnly(Pg.FLOAT4);
    assertThat(Stream.of(Fields.Disk.FIELDS).map(f -> f.scale().oid)).containsOnly(Pg.FLOAT4);
    assertThat(Stream.of(Fields.Nic.FIELDS).map(f -> f.scale().oid)).containsOnly(Pg.FLOAT4);
  }

  @Test
  void smallintScalesRoundClampAndMarkAbsence() {
    assertThat(Scale.PERCENT.small(61.25)).isEqualTo((short) 6125);
    assertThat(Scale.PERCENT.small(0.004)).isEqualTo((short) 0);
    assertThat(Scale.PERCENT.small(0.005)).isEqualTo((short) 1);
    assertThat(Scale.PERCENT.small(1e6)).isEqualTo((short) 32767);
    assertThat(Scale.PERCENT.small(-1e6)).isEqualTo((short) -32767); // -32768 means absent
    assertThat(Scale.MHZ.small(1980.4)).isEqualTo((short) 1980);
    assertThat(Scale.MHZ.small(-3.0)).isEqualTo((short) 0);
    assertThat(Scale.MHZ.small(40000.0)).isEqualTo((short) 32767);
    assertThat(Scale.ID.small(7)).isEqualTo((short) 7);
    assertThat(Scale.PERCENT.small(null)).isEqualTo(Scale.NO_SHORT);
    assertThat(Scale.PERCENT.small(Double.NaN)).isEqualTo(Scale.NO_SHORT);
    assertThat(Scale.MHZ.small(Double.NaN)).isEqualTo(Scale.NO_SHORT);
    assertThat(Scale.PERCENT.value((short) 6125)).isEqualTo(61.25);
    assertThat(Scale.MHZ.value((short) 1980)).isEqualTo(1980.0);
    assertThat(Scale.PERCENT.value(Scale.NO_SHORT)).isNaN();
    assertThat(Scale.real(null)).isNaN();
    assertThat(Scale.real(12L)).isEqualTo(12f);
    assertThat(Scale.bytes(null)).isEqualTo(Scale.NO_LONG);
    assertThat(Scale.bytes(1L << 40)).isEqualTo(1L << 40);
  }

  /**
   * Components of the derived records that are deliberately not in the sample arrays: columns of
   * their own (identity, gap, bottleneck label), the registry (agent), {@code server_devices}
   * (names), and events or states rather than series (docs/history.md).
   */
  static final Set<String> NOT_IN_ARRAYS =
      Set.of(
          "DerivedSnapshot.server",
          "DerivedSnapshot.ts",
          "DerivedSnapshot.bootId",
          "DerivedSnapshot.seq",
          "DerivedSnapshot.gap",
          "DerivedSnapshot.agent",
          "DerivedSnapshot.bottleneck",
          "DerivedSnapshot.processes",
          "GpuFigures.uuid",
          "GpuFigures.name",
          "GpuFigures.clockEventReasons",
          "GpuFigures.migEnabled",
          "GpuFigures.xidEvents",
          "DiskRates.name",
          "NicRates.name");

  /**
   * Every other component of the derived snapshot, set on its own, must change what is stored: a
   * figure added to a derived record fails here until it has a field in a table (or a reason in
   * {@link #NOT_IN_ARRAYS}).
   */
  @Test
  void everyFigureOfTheDerivedRecordsIsStored() throws Exception {
    List<String> figures = new ArrayList<>();
    leaves(DerivedSnapshot.class, figures);
    assertThat(figures)
        .contains(
            "DerivedSnapshot.intervalS",
            "CpuFigures.perCore",
            "GpuFigures.index",
            "GpuRollup.memoryTotal",
            "NicRates.errorRate");
    List<Object> none = arrays(Layout.encode((DerivedSnapshot) build(DerivedSnapshot.class, null)));
    for (String figure : figures) {
      List<Object> one =
          arrays(Layout.encode((DerivedSnapshot) build(DerivedSnapshot.class, figure)));
      assertThat(Arrays.deepEquals(one.toArray(), none.toArray()))
          .as("%s is stored", figure)
          .isFalse();
    }
  }

  /** {@code Record.component} for every non-container component reachable from {@code type}. */
  private static void leaves(Class<?> type, List<String> out) {
    for (RecordComponent c : type.getRecordComponents()) {
      String id = type.getSimpleName() + "." + c.getName();
      Class<?> nested = container(c);
      if (NOT_IN_ARRAYS.contains(id)) {
        continue;
      }
      if (nested != null) {
        leaves(nested, out);
      } else {
        out.add(id);
      }
    }
  }

  /**
   * An instance whose sections and device lists (one device each) are there, with every figure
   * absent except {@code figure}.
   */
  private static Object build(Class<?> type, String figure) throws Exception {
    RecordComponent[] cs = type.getRecordComponents();
    Object[] args = new Object[cs.length];
    Class<?>[] types = new Class<?>[cs.length];
    for (int i = 0; i < cs.length; i++) {
      RecordComponent c = cs[i];
      types[i] = c.getType();
      String id = type.getSimpleName() + "." + c.getName();
      Class<?> nested = container(c);
      if (id.equals(figure)) {
        args[i] = sample(c);
      } else if (nested != null && !NOT_IN_ARRAYS.contains(id)) {
        Object inner = build(nested, figure);
        args[i] = c.getType() == List.class ? List.of(inner) : inner;
      } else {
        args[i] = absent(c.getType());
      }
    }
    return type.getDeclaredConstructor(types).newInstance(args);
  }

  /** The record type of a section or of a device list's elements; null for a figure. */
  private static Class<?> container(RecordComponent c) {
    if (c.getType().isRecord()) {
      return c.getType();
    }
    if (c.getType() == List.class
        && c.getGenericType() instanceof ParameterizedType p
        && p.getActualTypeArguments()[0] instanceof Class<?> e
        && e.isRecord()) {
      return e;
    }
    return null;
  }

  private static Object sample(RecordComponent c) {
    Class<?> t = c.getType();
    if (t == Double.class || t == double.class) {
      return 12.5;
    }
    if (t == Long.class || t == long.class) {
      return 12L;
    }
    if (t == Integer.class || t == int.class) {
      return 7;
    }
    if (t == Boolean.class || t == boolean.class) {
      return true;
    }
    if (t == String.class) {
      return "x";
    }
    if (t == Instant.class) {
      return Instant.EPOCH;
    }
    if (t == List.class) {
      return List.of(12.5, 12.5, 12.5);
    }
    return fail("no sample value for %s %s", t, c.getName());
  }

  private static Object absent(Class<?> t) {
    if (t == int.class || t == long.class || t == double.class) {
      return t == int.class ? (Object) 0 : t == long.class ? (Object) 0L : (Object) 0.0;
    }
    return t == boolean.class ? false : null;
  }

  private static List<Object> arrays(Layout.Encoded e) {
    return List.of(e.h(), e.m(), e.c(), e.gs(), e.gf(), e.d(), e.n());
  }

  private static <E> List<String> describe(E[] table, Function<E, Field> field) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < table.length; i++) {
      Field f = field.apply(table[i]);
      assertThat(f.pos()).as("position of %s", f.name()).isEqualTo(i);
      out.add(f.name() + " " + f.scale());
    }
    return out;
  }
}
