package dev.trainwatch.history.layout;

import dev.trainwatch.bus.derived.CpuFigures;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.derived.DiskFigures;
import dev.trainwatch.bus.derived.DiskRates;
import dev.trainwatch.bus.derived.GpuFigures;
import dev.trainwatch.bus.derived.NetworkFigures;
import dev.trainwatch.bus.derived.NicRates;
import dev.trainwatch.history.layout.Fields.Disk;
import dev.trainwatch.history.layout.Fields.GpuFloat;
import dev.trainwatch.history.layout.Fields.GpuSmall;
import dev.trainwatch.history.layout.Fields.Host;
import dev.trainwatch.history.layout.Fields.Memory;
import dev.trainwatch.history.layout.Fields.Nic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The {@code samples} row's seven arrays (V2 migration), filled from the field tables in {@link
 * Fields}, and the boot key. Group order here is the column order in both {@code samples} and
 * {@code samples_hourly}.
 */
public final class Layout {
  private Layout() {}

  /** Group order in {@link Encoded} and in the hourly table. */
  public static final String[] GROUPS = {"h", "m", "c", "gs", "gf", "d", "n"};

  public static final int H = 0, M = 1, C = 2, GS = 3, GF = 4, D = 5, N = 6;

  /** One snapshot's arrays, in {@link #GROUPS} order. */
  public record Encoded(
      float[] h, long[] m, short[] c, short[] gs, float[] gf, float[] d, float[] n) {}

  public static Encoded encode(DerivedSnapshot s) {
    float[] h = new float[Host.ALL.length];
    for (Host f : Host.ALL) {
      h[f.ordinal()] = Scale.real(f.of(s));
    }
    long[] m = new long[Memory.ALL.length];
    for (Memory f : Memory.ALL) {
      m[f.ordinal()] = Scale.bytes(f.of(s));
    }
    CpuFigures cpu = s.cpu();
    List<Double> cores = cpu == null || cpu.perCore() == null ? List.of() : cpu.perCore();
    short[] c = new short[cores.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = Fields.CORE.scale().small(cores.get(i));
    }
    List<GpuFigures> gpus = s.gpus() == null ? List.of() : s.gpus();
    short[] gs = new short[gpus.size() * GpuSmall.ALL.length];
    float[] gf = new float[gpus.size() * GpuFloat.ALL.length];
    for (int i = 0; i < gpus.size(); i++) {
      GpuFigures x = gpus.get(i);
      int o = i * GpuSmall.ALL.length;
      for (GpuSmall f : GpuSmall.ALL) {
        gs[o + f.ordinal()] = f.field.scale().small(f.of(x));
      }
      o = i * GpuFloat.ALL.length;
      for (GpuFloat f : GpuFloat.ALL) {
        gf[o + f.ordinal()] = Scale.real(f.of(x));
      }
    }
    DiskFigures disk = s.disk();
    List<DiskRates> disks = disk == null ? List.of() : disk.disks();
    float[] d = new float[disks.size() * Disk.ALL.length];
    for (int i = 0; i < disks.size(); i++) {
      DiskRates x = disks.get(i);
      for (Disk f : Disk.ALL) {
        d[i * Disk.ALL.length + f.ordinal()] = Scale.real(f.of(x));
      }
    }
    NetworkFigures net = s.network();
    List<NicRates> nics = net == null ? List.of() : net.interfaces();
    float[] n = new float[nics.size() * Nic.ALL.length];
    for (int i = 0; i < nics.size(); i++) {
      NicRates x = nics.get(i);
      for (Nic f : Nic.ALL) {
        n[i * Nic.ALL.length + f.ordinal()] = Scale.real(f.of(x));
      }
    }
    return new Encoded(h, m, c, gs, gf, d, n);
  }

  /**
   * 64-bit identity of a boot: the first 8 bytes of MD5(server LF boot_id), big-endian, as the V2
   * migration computes it in SQL. Salting with the server keeps two hosts that report the same
   * boot_id apart.
   */
  public static long bootKey(String server, String bootId) {
    try {
      byte[] md5 =
          MessageDigest.getInstance("MD5")
              .digest((server + "\n" + bootId).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(md5, 0, 8).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
