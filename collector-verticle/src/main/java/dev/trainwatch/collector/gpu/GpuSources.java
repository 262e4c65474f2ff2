package dev.trainwatch.collector.gpu;

import io.vertx.core.json.JsonObject;

/** Chooses the GPU provider: NVML first, then {@code nvidia-smi}, else none. */
public final class GpuSources {
  private GpuSources() {}

  /** Blocking (loads native code); call from a worker. {@code config} is the collector's {@code gpu} section. */
  public static GpuSource open(JsonObject config) {
    return new NoGpuSource("GPU providers not built yet");
  }
}
