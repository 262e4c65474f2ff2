package dev.trainwatch.collector.gpu.nvml;

import static dev.trainwatch.collector.gpu.nvml.NvmlLayout.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the processes holding a compute or graphics context on a GPU. The newest exported variant
 * is called ({@code _v3}, then {@code _v2}, then the legacy name) into a raw buffer, decoded at the
 * stride {@link EntryStride} measures. On {@code INSUFFICIENT_SIZE} (the list grew since the last
 * call) the buffer grows to twice the reported count plus headroom and the call is retried; the
 * grown capacity is kept.
 */
final class ProcessReader {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessReader.class);
  private static final int MAX_ATTEMPTS = 5;
  private static final int MAX_CAPACITY = 1 << 16;

  enum Kind {
    COMPUTE("compute", "nvmlDeviceGetComputeRunningProcesses", NvmlCall.COMPUTE_PROCESSES),
    GRAPHICS("graphics", "nvmlDeviceGetGraphicsRunningProcesses", NvmlCall.GRAPHICS_PROCESSES);

    final String type;
    final String base;
    final NvmlCall call;

    Kind(String type, String base, NvmlCall call) {
      this.type = type;
      this.base = base;
      this.call = call;
    }
  }

  /**
   * One entry: {@code usedBytes} null when NVML reports NVML_VALUE_NOT_AVAILABLE (Windows WDDM,
   * some MIG).
   */
  record Entry(long pid, Long usedBytes) {}

  @FunctionalInterface
  private interface ListCall {
    int call(Pointer device, Pointer infoCount, Pointer infos);
  }

  private final Outcomes outcomes;
  private final ListCall[] calls = new ListCall[Kind.values().length];
  private final String[] symbols = new String[Kind.values().length];
  private final int[] guesses = new int[Kind.values().length];
  private final int[] lastStride = new int[Kind.values().length];
  private final Memory count = new Memory(4);
  private Memory buffer = new Memory(16L * PROCESS_MAX_ENTRY);

  ProcessReader(NvmlBinding nvml) {
    this.outcomes = new Outcomes(nvml, LOG);
    NvmlLibrary lib = nvml.lib;
    bind(
        nvml,
        Kind.COMPUTE,
        lib::nvmlDeviceGetComputeRunningProcesses_v3,
        lib::nvmlDeviceGetComputeRunningProcesses_v2,
        lib::nvmlDeviceGetComputeRunningProcesses);
    bind(
        nvml,
        Kind.GRAPHICS,
        lib::nvmlDeviceGetGraphicsRunningProcesses_v3,
        lib::nvmlDeviceGetGraphicsRunningProcesses_v2,
        lib::nvmlDeviceGetGraphicsRunningProcesses);
  }

  private void bind(NvmlBinding nvml, Kind kind, ListCall v3, ListCall v2, ListCall v1) {
    int k = kind.ordinal();
    String[] names = {kind.base + "_v3", kind.base + "_v2", kind.base};
    ListCall[] options = {v3, v2, v1};
    for (int i = 0; i < names.length; i++) {
      if (nvml.has(names[i])) {
        calls[k] = options[i];
        symbols[k] = names[i];
        guesses[k] =
            EntryStride.guess(
                names[i],
                nvml.has(NvmlBinding.MARKERS.get(0)),
                nvml.has(NvmlBinding.MARKERS.get(1)));
        lastStride[k] = guesses[k];
        return;
      }
    }
  }

  /** The symbol used for {@code kind}, or null if the driver exports none. */
  String symbol(Kind kind) {
    return symbols[kind.ordinal()];
  }

  /** The stride the last non-empty answer was decoded at (the symbol guess until then). */
  int stride(Kind kind) {
    return lastStride[kind.ordinal()];
  }

  /** The processes, or null when the list could not be read (the failure is logged on change). */
  List<Entry> read(NvmlGpu g, Kind kind) {
    int k = kind.ordinal();
    ListCall call = calls[k];
    if (call == null) {
      return null;
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      int capacity = g.processCapacity[k];
      long bytes = (long) capacity * PROCESS_MAX_ENTRY;
      if (buffer.size() < bytes) {
        buffer = new Memory(bytes);
      }
      // sized for the largest layout whatever the driver writes, and filled so the written extent
      // shows
      buffer.setMemory(0, bytes, EntryStride.SENTINEL);
      count.setInt(0, capacity);
      int rc = call.call(g.handle, count, buffer);
      if (rc == ERROR_INSUFFICIENT_SIZE) {
        long needed = Integer.toUnsignedLong(count.getInt(0));
        g.processCapacity[k] =
            (int) Math.min(MAX_CAPACITY, Math.max(capacity * 2L, needed * 2 + 8));
        if (g.processCapacity[k] == capacity) {
          break;
        }
        continue;
      }
      if (!outcomes.ok(g, kind.call, rc)) {
        return null;
      }
      int n = (int) Math.min(capacity, Integer.toUnsignedLong(count.getInt(0)));
      return decode(g, kind, n, bytes);
    }
    outcomes.ok(g, kind.call, ERROR_INSUFFICIENT_SIZE);
    return null;
  }

  private List<Entry> decode(NvmlGpu g, Kind kind, int n, long bytes) {
    if (n == 0) {
      return List.of();
    }
    int k = kind.ordinal();
    byte[] raw = buffer.getByteArray(0, (int) Math.min(bytes, (long) n * PROCESS_MAX_ENTRY));
    int stride = EntryStride.detect(raw, n, guesses[k]);
    if (stride != lastStride[k]) {
      LOG.info(
          "{}: {} writes {}-byte process entries (symbol suggests {})",
          g.label,
          symbols[k],
          stride,
          guesses[k]);
      lastStride[k] = stride;
    }
    List<Entry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long off = (long) i * stride;
      long pid = Integer.toUnsignedLong(buffer.getInt(off + PROCESS_PID));
      long used = buffer.getLong(off + PROCESS_USED_MEMORY);
      out.add(new Entry(pid, used == NOT_AVAILABLE_U64 || used < 0 ? null : used));
    }
    return out;
  }
}
