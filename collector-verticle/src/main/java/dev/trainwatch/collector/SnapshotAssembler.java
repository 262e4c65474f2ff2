package dev.trainwatch.collector;

import dev.trainwatch.bus.raw.AgentInfo;
import dev.trainwatch.bus.raw.CpuRaw;
import dev.trainwatch.bus.raw.DiskRaw;
import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.GpuRaw;
import dev.trainwatch.bus.raw.MemoryRaw;
import dev.trainwatch.bus.raw.NicRaw;
import dev.trainwatch.bus.raw.PressureRaw;
import dev.trainwatch.bus.raw.RawSnapshot;
import dev.trainwatch.collector.gpu.GpuSource;
import dev.trainwatch.collector.system.SystemReader;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds one {@link RawSnapshot} from the enabled sources. Blocking; called from the collector's
 * worker, one sample at a time. A source that fails is left out of that sample (absent, never
 * zeros) and the others still go.
 */
public final class SnapshotAssembler {
  private final SystemReader reader;
  private final EnabledSources enabled;
  private final SourceHealths health;
  private final String version;
  private final String hostname;
  private final Map<String, String> labels;

  /**
   * With the boot id it names the sample, and history stores each (server, boot_id, seq) once. It
   * starts at the host uptime in ms, not 0: a collector restarted without a reboot must not reuse
   * the seqs of its previous run (they would be dropped as replays). An earlier run of this boot
   * advanced seq at most once per 500 ms while uptime advanced once per ms, so this start is above
   * anything it reached.
   */
  private final AtomicLong seq;

  SnapshotAssembler(
      SystemReader reader,
      EnabledSources enabled,
      SourceHealths health,
      String version,
      String hostname,
      Map<String, String> labels) {
    this.reader = reader;
    this.enabled = enabled;
    this.health = health;
    this.version = version;
    this.hostname = hostname != null ? hostname : reader.hostname();
    this.labels = labels;
    this.seq = new AtomicLong(reader.uptimeMs());
  }

  /**
   * For benchmarks and tools outside the verticle: every source on, metrics into {@code registry}.
   */
  public static SnapshotAssembler standalone(SystemReader reader, MeterRegistry registry) {
    return new SnapshotAssembler(
        reader,
        EnabledSources.all(),
        new SourceHealths(registry, (s, e) -> {}),
        CollectorConfig.DEFAULT_VERSION,
        null,
        Map.of());
  }

  /**
   * @param processes the latest GPU process list, sampled on its own slower cadence
   */
  public RawSnapshot sample(GpuSource gpu, List<GpuProcess> processes) {
    // Uptime is taken first, as close as possible to the counters it will be used to turn into
    // rates.
    long uptimeMs = reader.uptimeMs();
    Instant ts = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    CpuRaw cpu = enabled.cpu() ? health.get(SourceNames.CPU).measure(reader::cpu) : null;
    MemoryRaw memory =
        enabled.memory() ? health.get(SourceNames.MEMORY).measure(reader::memory) : null;
    PressureRaw pressure =
        enabled.pressure() ? health.get(SourceNames.PRESSURE).measure(reader::pressure) : null;
    List<DiskRaw> disks =
        enabled.disks() ? orEmpty(health.get(SourceNames.DISKS).measure(reader::disks)) : List.of();
    List<NicRaw> nics =
        enabled.networks()
            ? orEmpty(health.get(SourceNames.NETWORKS).measure(reader::networks))
            : List.of();
    List<GpuRaw> gpus =
        enabled.gpus() ? orEmpty(health.get(SourceNames.GPUS).measure(gpu::sampleGpus)) : List.of();
    AgentInfo agent =
        new AgentInfo(version, hostname, labels, reader.bootId(), seq.getAndIncrement(), uptimeMs);
    return new RawSnapshot(
        ts,
        agent,
        cpu,
        memory,
        pressure,
        disks,
        nics,
        gpus,
        processes == null ? List.of() : processes);
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }
}
