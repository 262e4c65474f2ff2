package dev.trainwatch.bench;

import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.raw.AgentInfo;
import dev.trainwatch.bus.raw.CpuRaw;
import dev.trainwatch.bus.raw.DiskRaw;
import dev.trainwatch.bus.raw.GpuRaw;
import dev.trainwatch.bus.raw.MemoryRaw;
import dev.trainwatch.bus.raw.NicRaw;
import dev.trainwatch.bus.raw.PressureRaw;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.bus.raw.RawSnapshot;
import dev.trainwatch.rates.ServerRates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rates + bottleneck classification for one snapshot of a big training node: 128 cores, 8 GPUs, 8
 * disks, 4 NICs. Target: ≤ 20 µs per snapshot.
 *
 * <p>Every call needs a sample newer than the last (an old one takes the cheap "stale" path), so
 * each call builds one: CPU ticks go into one of two alternating buffers (the rate state still
 * holds the other), device records are new. {@link #buildOnly} measures that input work alone;
 * {@link #accept} minus it is the cost of the rate state. The load changes from sample to sample
 * (GPU utilization swinging, one GPU throttled, cores at different loads) so the classifier's
 * window, hysteresis and flags all work.
 *
 * <p>Warm-up defaults to 10 s: on a 2-core machine C2 needs about that long before the hot paths
 * are compiled, and shorter warm-ups measure the interpreter.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RatesBench {
  private static final int CORES = 128;
  private static final int GPUS = 8;
  private static final int DISKS = 8;
  private static final int NICS = 4;
  private static final long STEP_MS = 1000;
  private static final Instant T0 = Instant.parse("2026-11-22T06:00:00Z");

  private final long[][][] ticks = new long[2][CORES][CpuRaw.STATES.size()];
  private final String[] diskNames = new String[DISKS];
  private final String[] nicNames = new String[NICS];
  private final String[] gpuUuids = new String[GPUS];
  private ServerRates rates;
  private long seq;

  @Setup
  public void setUp() {
    for (int i = 0; i < DISKS; i++) {
      diskNames[i] = "nvme" + i + "n1";
    }
    for (int i = 0; i < NICS; i++) {
      nicNames[i] = "ens" + i;
    }
    for (int i = 0; i < GPUS; i++) {
      gpuUuids[i] = "GPU-4b3c2a1e-0000-0000-0000-00000000000" + i;
    }
    rates = new ServerRates("gpu-box-01", Duration.ofMillis(STEP_MS), Duration.ofSeconds(10));
    seq = 0;
    for (int i = 0; i < 20; i++) {
      rates.accept(next());
    }
  }

  @Benchmark
  public DerivedSnapshot accept() {
    return rates.accept(next());
  }

  @Benchmark
  public RawSample buildOnly() {
    return next();
  }

  private RawSample next() {
    long n = ++seq;
    long[][] t = ticks[(int) (n & 1)];
    for (int c = 0; c < CORES; c++) {
      // Core c is (c % 10) × 10 % busy, with a little iowait and steal, so per-core shares differ.
      long busy = (c % 10) * 100;
      long[] core = t[c];
      core[CpuRaw.USER] = n * busy;
      core[CpuRaw.SYSTEM] = n * 20;
      core[CpuRaw.IOWAIT] = n * 10;
      core[CpuRaw.STEAL] = n * 5;
      core[CpuRaw.IDLE] = n * (STEP_MS - busy - 35);
    }
    List<DiskRaw> disks = new ArrayList<>(DISKS);
    for (int i = 0; i < DISKS; i++) {
      disks.add(
          new DiskRaw(
              diskNames[i],
              null,
              n * 50_000_000L,
              n * 20_000_000L,
              n * 400,
              n * 150,
              n * (100 + 80L * i)));
    }
    List<NicRaw> nics = new ArrayList<>(NICS);
    for (int i = 0; i < NICS; i++) {
      nics.add(
          new NicRaw(
              nicNames[i],
              null,
              n * 1_250_000_000L,
              n * 900_000_000L,
              n * 800_000,
              n * 600_000,
              0L,
              0L));
    }
    List<GpuRaw> gpus = new ArrayList<>(GPUS);
    for (int i = 0; i < GPUS; i++) {
      // GPU 0 collapses every other sample (an input-starved pattern); GPU 7 is power-capped.
      double util = i == 0 ? (n % 2 == 0 ? 95 : 5) : 60 + 4 * i;
      gpus.add(
          new GpuRaw(
              i,
              gpuUuids[i],
              "NVIDIA H100 80GB HBM3",
              null,
              util,
              41.0,
              40L << 30,
              80L << 30,
              64.0,
              512.3,
              700.0,
              null,
              1980.0,
              2619.0,
              n * 500_000L,
              1e9,
              2e9,
              0.0,
              0.0,
              i == 7 ? List.of("sw_power_cap") : List.of(),
              0L,
              false,
              List.of()));
    }
    RawSnapshot s =
        new RawSnapshot(
            T0.plusMillis(n * STEP_MS),
            new AgentInfo("0.1.0", "gpu-box-01", Map.of(), "boot-a", n, 86_400_000L + n * STEP_MS),
            new CpuRaw(t, List.of(40.0, 38.0, 35.0), null),
            new MemoryRaw(2048L << 30, 1024L << 30, 1024L << 30, 8L << 30, 0L, 0L, 0L),
            new PressureRaw(n * 10_000, n * 5_000, n * 1_000, 0L, 0L),
            disks,
            nics,
            gpus,
            List.of());
    return new RawSample("gpu-box-01", "10.0.0.7", s);
  }
}
