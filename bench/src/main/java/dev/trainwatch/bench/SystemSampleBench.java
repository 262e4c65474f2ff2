package dev.trainwatch.bench;

import dev.trainwatch.bus.raw.CpuRaw;
import dev.trainwatch.bus.raw.DiskRaw;
import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.MemoryRaw;
import dev.trainwatch.bus.raw.NicRaw;
import dev.trainwatch.bus.raw.PressureRaw;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.bus.raw.RawSnapshot;
import dev.trainwatch.collector.SnapshotAssembler;
import dev.trainwatch.collector.gpu.GpuSource;
import dev.trainwatch.collector.gpu.NoGpuSource;
import dev.trainwatch.collector.system.DeviceFilter;
import dev.trainwatch.collector.system.SystemReader;
import dev.trainwatch.collector.system.SystemReaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import oshi.SystemInfo;
import oshi.util.GlobalConfig;

/**
 * One full system sample of this host, GPUs left out (target ≤ 5 ms), and each source alone. {@code
 * reader=oshi} runs the same sample through OSHI for comparison, with OSHI's 300 ms memoization
 * switched off so that every invocation really reads the host, as a 1 Hz collector does.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar SystemSampleBench -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SystemSampleBench {
  @Param({"procfs"})
  public String reader;

  private SystemReader system;
  private SnapshotAssembler assembler;
  private final GpuSource noGpus = new NoGpuSource("benchmark: system sample only");
  private final List<GpuProcess> noProcesses = List.of();

  @Setup
  public void open() {
    GlobalConfig.set(GlobalConfig.OSHI_UTIL_MEMOIZER_EXPIRATION, 0);
    system = SystemReaders.open(reader, new SystemInfo(), DeviceFilter.defaults());
    assembler = SnapshotAssembler.standalone(system, new SimpleMeterRegistry());
  }

  /** What the collector's worker does once per interval, up to the record. */
  @Benchmark
  public RawSnapshot sample() {
    return assembler.sample(noGpus, noProcesses);
  }

  /** The same plus the bus message the worker builds (the JSON tree, not yet encoded). */
  @Benchmark
  public JsonObject sampleAsBusMessage() {
    return new RawSample("local", null, assembler.sample(noGpus, noProcesses)).toJson();
  }

  @Benchmark
  public CpuRaw cpu() {
    return system.cpu();
  }

  @Benchmark
  public MemoryRaw memory() {
    return system.memory();
  }

  @Benchmark
  public PressureRaw pressure() {
    return system.pressure();
  }

  @Benchmark
  public List<DiskRaw> disks() {
    return system.disks();
  }

  @Benchmark
  public List<NicRaw> networks() {
    return system.networks();
  }
}
