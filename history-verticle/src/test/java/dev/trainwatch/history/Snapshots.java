package dev.trainwatch.history;

import dev.trainwatch.bus.derived.*;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Derived snapshots shaped like an 8-GPU training node: the shape the numbers are stated
 * for.
 */
public final class Snapshots {
  private Snapshots() {}

  public static final long GIB = 1L << 30;

  /**
   * {@code load} in [0, 100] drives every busy figure so aggregates are easy to compute by hand.
   */
  public static DerivedSnapshot node(
      String server,
      String boot,
      long seq,
      Instant ts,
      double load,
      int gpus,
      int disks,
      int nics,
      int cores) {
    List<Double> perCore = new ArrayList<>();
    for (int i = 0; i < cores; i++) {
      perCore.add(Math.min(100, load + i % 3));
    }
    List<GpuFigures> g = new ArrayList<>();
    for (int i = 0; i < gpus; i++) {
      g.add(
          new GpuFigures(
              i,
              "GPU-" + server + "-" + i,
              "NVIDIA H100 80GB HBM3",
              load,
              load / 2,
              (long) (load * GIB / 2),
              80 * GIB,
              40 + load / 4 + i,
              100 + 5 * load,
              98 + 5 * load,
              700.0,
              null,
              1980.0,
              2619.0,
              1e9 * load,
              2e9 * load,
              0.0,
              0.0,
              List.of(),
              0L,
              false,
              List.of()));
    }
    List<DiskRates> d = new ArrayList<>();
    for (int i = 0; i < disks; i++) {
      d.add(new DiskRates("nvme" + i + "n1", 1e6 * load, 2e6 * load, 10 * load, 20 * load, load));
    }
    List<NicRates> n = new ArrayList<>();
    for (int i = 0; i < nics; i++) {
      n.add(new NicRates("eth" + i, 1e7 * load, 3e7 * load, 0.0));
    }
    return new DerivedSnapshot(
        server,
        ts,
        boot,
        seq,
        1.0,
        false,
        new AgentSeen("0.1.0", "host-" + server, Map.of("rack", "r1"), "10.0.0.7"),
        new CpuFigures(load, perCore, load / 10, 0.0, List.of(load / 10, 1.0, 2.0)),
        new MemoryFigures(
            (long) (load * GIB), 1024 * GIB, (long) ((1024 - load) * GIB), 0L, 8 * GIB, 0.0, 0.0),
        new DiskFigures(4e6 * load, 8e6 * load, d),
        new NetworkFigures(2e7 * load, 6e7 * load, n),
        g,
        new GpuRollup(load, load, (long) (gpus * load * GIB / 2), gpus * 80 * GIB),
        new Bottleneck(load > 50 ? "gpu-bound" : "idle", List.of(), List.of()),
        List.of());
  }

  public static DerivedSnapshot node(String server, long seq, Instant ts, double load) {
    return node(server, "boot-a", seq, ts, load, 8, 4, 2, 16);
  }
}
