package dev.trainwatch.bench;

import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.GpuRaw;
import dev.trainwatch.collector.gpu.GpuSource;
import dev.trainwatch.collector.gpu.GpuSources;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code sampleGpus()} of 8 GPUs through the real JNA binding against the fake NVML (target ≤
 * 10 ms), and one {@code sampleProcesses()} with 32 processes. The fake is compiled with gcc here
 * from {@code collector-verticle/src/test/c/fake_nvml.c} and driven by {@code
 * collector-verticle/src/test/resources/gpu/scenarios/eight-gpus.scenario}, whose PCIe calls block
 * 20 ms like the real ones, so the figure shows they stay off the sampling path. The fake answers
 * in nanoseconds where a driver takes microseconds to milliseconds: this measures Trainwatch's own
 * overhead, not a real GPU's.
 *
 * <p>Run from the repository root: {@code java -jar bench/target/benchmarks.jar GpuSampleBench -f 1
 * -wi 2 -i 3} (or set {@code -Dtrainwatch.repo=/path/to/repo}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class GpuSampleBench {
  private static final String SOURCE = "collector-verticle/src/test/c/fake_nvml.c";
  private static final String SCENARIO =
      "collector-verticle/src/test/resources/gpu/scenarios/eight-gpus.scenario";

  private GpuSource source;

  @Setup
  public void open() throws IOException, InterruptedException {
    Path repo = repoRoot();
    Path dir = Files.createTempDirectory("trainwatch-gpu-bench");
    Path lib = dir.resolve("libnvidia-ml-fake.so.1");
    Process gcc =
        new ProcessBuilder(
                "gcc",
                "-shared",
                "-fPIC",
                "-O2",
                "-Wl,-soname,libnvidia-ml-fake.so.1",
                "-o",
                lib.toString(),
                repo.resolve(SOURCE).toString(),
                "-lpthread")
            .redirectErrorStream(true)
            .start();
    String out = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (gcc.waitFor() != 0) {
      throw new IllegalStateException("gcc failed: " + out);
    }
    Files.copy(repo.resolve(SCENARIO), dir.resolve("fake-nvml.scenario"));
    source =
        GpuSources.open(
            new JsonObject()
                .put("nvml_library", lib.toString())
                .put("nvidia_smi", "/nonexistent/nvidia-smi")
                .put("pcie_every_n", 5));
    if (!source.provider().equals("nvml") || source.sampleGpus().size() != 8) {
      throw new IllegalStateException("the fake NVML did not load: " + source.reason());
    }
  }

  @TearDown
  public void close() {
    source.close();
  }

  @Benchmark
  public List<GpuRaw> sampleGpus() {
    return source.sampleGpus();
  }

  @Benchmark
  public List<GpuProcess> sampleProcesses() {
    return source.sampleProcesses();
  }

  private static Path repoRoot() {
    String configured = System.getProperty("trainwatch.repo");
    if (configured != null) {
      return Path.of(configured);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(SOURCE))) {
        return p;
      }
    }
    throw new IllegalStateException(
        SOURCE
            + " not found above "
            + Path.of("").toAbsolutePath()
            + "; run from the repository or set -Dtrainwatch.repo");
  }
}
