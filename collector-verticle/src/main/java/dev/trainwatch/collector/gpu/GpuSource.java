package dev.trainwatch.collector.gpu;

import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.GpuRaw;
import java.util.List;

/**
 * Where GPU readings come from (NVML through JNA, {@code nvidia-smi}, or none). Every method blocks
 * and is called only from the collector's worker executor, never an event loop, and never
 * concurrently.
 */
public interface GpuSource extends AutoCloseable {

  /** {@code nvml}, {@code nvidia-smi} or {@code none}. */
  String provider();

  /**
   * Why this provider is active (e.g. "libnvidia-ml.so.1 not found; nvidia-smi 595.71.05 at
   * /usr/bin/nvidia-smi").
   */
  String reason();

  /** One reading of every GPU; a field the driver cannot give is null, never 0. */
  List<GpuRaw> sampleGpus();

  /** The processes holding GPU contexts; called on a slower cadence than {@link #sampleGpus()}. */
  List<GpuProcess> sampleProcesses();

  @Override
  void close();
}
