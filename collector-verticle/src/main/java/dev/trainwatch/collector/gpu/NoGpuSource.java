package dev.trainwatch.collector.gpu;

import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.GpuRaw;
import java.util.List;

/**
 * A host without NVIDIA GPUs (or with GPU collection switched off): no readings, which is not an
 * error.
 */
public record NoGpuSource(String reason) implements GpuSource {
  @Override
  public String provider() {
    return "none";
  }

  @Override
  public List<GpuRaw> sampleGpus() {
    return List.of();
  }

  @Override
  public List<GpuProcess> sampleProcesses() {
    return List.of();
  }

  @Override
  public void close() {}
}
