package dev.trainwatch.history;

import dev.trainwatch.bus.derived.CpuFigures;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.derived.DiskFigures;
import dev.trainwatch.bus.derived.DiskRates;
import dev.trainwatch.bus.derived.GpuFigures;
import dev.trainwatch.bus.derived.GpuRollup;
import dev.trainwatch.bus.derived.MemoryFigures;
import dev.trainwatch.bus.derived.NetworkFigures;
import dev.trainwatch.bus.derived.NicRates;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The positions of every figure in the {@code samples} arrays (V2 migration). Changing an order or a width here needs
 * a migration that rewrites stored rows; appending a host figure at the end does not.
 *
 * <p>Percentages are stored ×100 in smallint (0.01 % resolution), clocks in whole MHz; everything else as real
 * (24-bit mantissa: exact for MiB-aligned byte counts up to 16 TiB, 6e-8 relative otherwise).
 */
final class Layout {
  private Layout() {}

  static final short NO_SHORT = Short.MIN_VALUE;
  static final long NO_LONG = -1L;

  /** Group order in {@link Encoded} and in the hourly table. */
  static final String[] GROUPS = {"h", "m", "c", "gs", "gf", "d", "n"};
  static final int H = 0, M = 1, C = 2, GS = 3, GF = 4, D = 5, N = 6;

  static final String[] H_KEYS = {"interval_s", "cpu.utilization", "cpu.iowait", "cpu.steal", "load1", "load5",
      "load15", "memory.swap_in_rate", "memory.swap_out_rate", "disk.read_rate", "disk.write_rate",
      "network.upload_rate", "network.download_rate", "gpu_util_max", "gpu_util_avg"};
  static final String[] M_KEYS = {"memory.ram_used", "memory.ram_total", "memory.ram_available", "memory.swap_used",
      "memory.swap_total", "gpu_memory_used", "gpu_memory_total"};
  /** Per GPU; index first. Scaled ×100 except the clocks. */
  static final String[] GS_KEYS = {"index", "utilization", "memory_utilization", "temperature", "fan", "encoder",
      "decoder", "sm_clock", "mem_clock"};
  static final boolean[] GS_PERCENT = {false, true, true, true, true, true, true, false, false};
  static final String[] GF_KEYS = {"memory_used", "memory_total", "power", "average_power", "power_limit",
      "pcie_rx_rate", "pcie_tx_rate", "ecc_uncorrected_total"};
  static final String[] D_KEYS = {"read_rate", "write_rate", "read_iops", "write_iops", "utilization"};
  static final String[] N_KEYS = {"upload_rate", "download_rate", "error_rate"};

  /** One snapshot's arrays, in {@link #GROUPS} order. */
  record Encoded(float[] h, long[] m, short[] c, short[] gs, float[] gf, float[] d, float[] n) {}

  static Encoded encode(DerivedSnapshot s) {
    CpuFigures cpu = s.cpu();
    MemoryFigures mem = s.memory();
    DiskFigures disk = s.disk();
    NetworkFigures net = s.network();
    GpuRollup g = s.gpuRollup();
    List<Double> load = cpu == null ? null : cpu.loadAvg();
    float[] h = {f(s.intervalS()), f(cpu == null ? null : cpu.utilization()), f(cpu == null ? null : cpu.iowait()),
        f(cpu == null ? null : cpu.steal()), f(at(load, 0)), f(at(load, 1)), f(at(load, 2)),
        f(mem == null ? null : mem.swapInRate()), f(mem == null ? null : mem.swapOutRate()),
        f(disk == null ? null : disk.readRate()), f(disk == null ? null : disk.writeRate()),
        f(net == null ? null : net.uploadRate()), f(net == null ? null : net.downloadRate()),
        f(g == null ? null : g.utilMax()), f(g == null ? null : g.utilAvg())};
    long[] m = {l(mem == null ? null : mem.ramUsed()), l(mem == null ? null : mem.ramTotal()),
        l(mem == null ? null : mem.ramAvailable()), l(mem == null ? null : mem.swapUsed()),
        l(mem == null ? null : mem.swapTotal()), l(g == null ? null : g.memoryUsed()),
        l(g == null ? null : g.memoryTotal())};
    List<Double> cores = cpu == null || cpu.perCore() == null ? List.of() : cpu.perCore();
    short[] c = new short[cores.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = pct(cores.get(i));
    }
    List<GpuFigures> gpus = s.gpus() == null ? List.of() : s.gpus();
    short[] gs = new short[gpus.size() * GS_KEYS.length];
    float[] gf = new float[gpus.size() * GF_KEYS.length];
    for (int i = 0; i < gpus.size(); i++) {
      GpuFigures x = gpus.get(i);
      int o = i * GS_KEYS.length;
      gs[o] = (short) x.index();
      gs[o + 1] = pct(x.utilization());
      gs[o + 2] = pct(x.memoryUtilization());
      gs[o + 3] = pct(x.temperature());
      gs[o + 4] = pct(x.fan());
      gs[o + 5] = pct(x.encoder());
      gs[o + 6] = pct(x.decoder());
      gs[o + 7] = mhz(x.smClock());
      gs[o + 8] = mhz(x.memClock());
      o = i * GF_KEYS.length;
      gf[o] = f(x.memoryUsed());
      gf[o + 1] = f(x.memoryTotal());
      gf[o + 2] = f(x.power());
      gf[o + 3] = f(x.averagePower());
      gf[o + 4] = f(x.powerLimit());
      gf[o + 5] = f(x.pcieRxRate());
      gf[o + 6] = f(x.pcieTxRate());
      gf[o + 7] = f(x.eccUncorrectedTotal());
    }
    List<DiskRates> disks = disk == null ? List.of() : disk.disks();
    float[] d = new float[disks.size() * D_KEYS.length];
    for (int i = 0; i < disks.size(); i++) {
      DiskRates x = disks.get(i);
      int o = i * D_KEYS.length;
      d[o] = f(x.readRate());
      d[o + 1] = f(x.writeRate());
      d[o + 2] = f(x.readIops());
      d[o + 3] = f(x.writeIops());
      d[o + 4] = f(x.utilization());
    }
    List<NicRates> nics = net == null ? List.of() : net.interfaces();
    float[] n = new float[nics.size() * N_KEYS.length];
    for (int i = 0; i < nics.size(); i++) {
      NicRates x = nics.get(i);
      n[i * 3] = f(x.uploadRate());
      n[i * 3 + 1] = f(x.downloadRate());
      n[i * 3 + 2] = f(x.errorRate());
    }
    return new Encoded(h, m, c, gs, gf, d, n);
  }

  /**
   * 64-bit identity of a boot: the first 8 bytes of MD5(server LF boot_id), big-endian, as the V2 migration computes
   * it in SQL. Salting with the server keeps two hosts that report the same boot_id apart.
   */
  static long bootKey(String server, String bootId) {
    try {
      byte[] md5 = MessageDigest.getInstance("MD5")
          .digest((server + "\n" + bootId).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(md5, 0, 8).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decodes a stored smallint of group GS at position {@code k} of its GPU block; NaN when absent. */
  static double gsValue(short v, int k) {
    if (v == NO_SHORT) {
      return Double.NaN;
    }
    return GS_PERCENT[k] ? v / 100.0 : v;
  }

  static double coreValue(short v) {
    return v == NO_SHORT ? Double.NaN : v / 100.0;
  }

  private static Double at(List<Double> l, int i) {
    return l == null || l.size() <= i ? null : l.get(i);
  }

  private static float f(Double d) {
    return d == null ? Float.NaN : d.floatValue();
  }

  private static float f(Long v) {
    return v == null ? Float.NaN : v.floatValue();
  }

  private static long l(Long v) {
    return v == null ? NO_LONG : v;
  }

  private static short pct(Double d) {
    if (d == null || d.isNaN()) {
      return NO_SHORT;
    }
    return (short) Math.max(-32767, Math.min(32767, Math.round(d * 100)));
  }

  /** Clocks above 32.7 GHz do not exist; clamp rather than wrap if an agent ever reports one. */
  private static short mhz(Double d) {
    if (d == null || d.isNaN()) {
      return NO_SHORT;
    }
    return (short) Math.max(0, Math.min(32767, Math.round(d)));
  }
}
