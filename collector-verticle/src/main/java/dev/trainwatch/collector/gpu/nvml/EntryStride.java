package dev.trainwatch.collector.gpu.nvml;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How many bytes each process entry takes, which the symbol name does not tell: the legacy call
 * writes 16-byte {@code nvmlProcessInfo_v1_t}, {@code _v2} 24 bytes, and {@code _v3} 24 bytes
 * except on drivers 535.43–535.86, which wrote 32 (an ABI break that scrambled PIDs in pynvml,
 * nvitop and go-nvml; nvml.md §2.1).
 *
 * <p>So the buffer is pre-filled with a {@link #SENTINEL} byte and sized for 32-byte entries; after
 * the call, the last byte the driver changed bounds what it wrote: with {@code n} entries at stride
 * {@code s} nothing past {@code n*s} changes, while each layout's last field (used memory, instance
 * ids, CC-protected memory) is never the sentinel pattern. The smallest stride that covers the
 * written bytes and decodes plausibly wins; when the bytes cannot decide, the symbol-based {@link
 * #guess} stands.
 */
final class EntryStride {
  private EntryStride() {}

  static final byte SENTINEL = (byte) 0xA5;
  static final int[] STRIDES = {16, 24, 32};

  /** Linux's largest possible pid_max (2^22). */
  private static final long PID_LIMIT = 1L << 22;

  /**
   * The stride nvitop uses from symbols alone: {@code _v3} is 32 bytes only on the 535.43–535.86
   * drivers, which export {@code nvmlDeviceGetConfComputeMemSizeInfo} but not yet {@code
   * nvmlDeviceGetRunningProcessDetailList}.
   */
  static int guess(
      String symbol, boolean hasConfComputeMemSizeInfo, boolean hasRunningProcessDetailList) {
    if (symbol.endsWith("_v3")) {
      return hasConfComputeMemSizeInfo && !hasRunningProcessDetailList ? 32 : 24;
    }
    return symbol.endsWith("_v2") ? 24 : 16;
  }

  /**
   * @param written the buffer after the call, at least {@code count * 32} bytes, pre-filled with
   *     {@link #SENTINEL}
   * @param count the entry count the driver returned
   */
  static int detect(byte[] written, int count, int guess) {
    if (count <= 0) {
      return guess;
    }
    int limit = (int) Math.min(written.length, (long) count * NvmlLayout.PROCESS_MAX_ENTRY);
    int last = -1;
    for (int i = limit - 1; i >= 0; i--) {
      if (written[i] != SENTINEL) {
        last = i;
        break;
      }
    }
    for (int stride : STRIDES) {
      if ((long) count * stride > last && plausible(written, count, stride)) {
        return stride;
      }
    }
    return guess;
  }

  /** Every PID is a possible Linux PID and, where present, instance ids are "none" or small. */
  static boolean plausible(byte[] b, int count, int stride) {
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    for (int i = 0; i < count; i++) {
      int off = i * stride;
      if (off + stride > b.length) {
        return false;
      }
      long pid = Integer.toUnsignedLong(buf.getInt(off + NvmlLayout.PROCESS_PID));
      if (pid == 0 || pid > PID_LIMIT) {
        return false;
      }
      if (stride >= 24
          && !(instanceId(buf.getInt(off + NvmlLayout.PROCESS_GPU_INSTANCE))
              && instanceId(buf.getInt(off + NvmlLayout.PROCESS_COMPUTE_INSTANCE)))) {
        return false;
      }
    }
    return true;
  }

  private static boolean instanceId(int v) {
    return v == NvmlLayout.NOT_AVAILABLE_U32 || (v >= 0 && v < 1024);
  }
}
