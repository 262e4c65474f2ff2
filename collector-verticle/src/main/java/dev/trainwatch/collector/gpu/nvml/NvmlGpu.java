package dev.trainwatch.collector.gpu.nvml;

import com.sun.jna.Pointer;

/**
 * One GPU as NVML enumerated it at start: its handle (valid for as long as NVML stays initialised,
 * which is the source's lifetime) and the identity read once. Mutable fields belong to the sampling
 * thread.
 */
final class NvmlGpu {
  final int index;
  final Pointer handle;
  final String uuid;
  final String name;
  final String pciBusId;

  /** Human label for log lines, e.g. "GPU 0 (GPU-4c2e…)". */
  final String label;

  /**
   * Outcome of each call the last time it ran, to log only changes; indexed by {@link
   * NvmlCall#ordinal()}.
   */
  final int[] lastRc = new int[NvmlCall.values().length];

  /**
   * Switched off for good when the driver rejects the versioned struct (FUNCTION_NOT_FOUND /
   * VERSION_MISMATCH).
   */
  boolean memoryV2Usable = true;

  /** Process buffer capacity in entries, per kind; grows on INSUFFICIENT_SIZE and stays grown. */
  final int[] processCapacity = {16, 16};

  NvmlGpu(int index, Pointer handle, String uuid, String name, String pciBusId) {
    this.index = index;
    this.handle = handle;
    this.uuid = uuid;
    this.name = name;
    this.pciBusId = pciBusId;
    this.label = "GPU " + index + (uuid == null ? "" : " (" + uuid + ")");
  }
}
