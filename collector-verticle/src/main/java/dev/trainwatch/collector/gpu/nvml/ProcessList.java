package dev.trainwatch.collector.gpu.nvml;

import static dev.trainwatch.collector.gpu.nvml.NvmlLayout.*;

import com.sun.jna.Memory;
import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.collector.gpu.proc.ProcFs;
import dev.trainwatch.collector.gpu.proc.ProcessDetails;
import dev.trainwatch.collector.gpu.proc.UserNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One GPU's process list: its compute and graphics contexts joined with who runs them. A PID in
 * both lists is one context used both ways (nvidia-smi's "C+G"): one entry of type {@code
 * compute+graphics}, the larger figure.
 */
final class ProcessList {
  private final NvmlBinding nvml;
  private final ProcessReader reader;
  private final ProcFs proc;
  private final UserNames users;
  private final boolean processName;
  private final Memory nameBuffer = new Memory(PROCESS_NAME_BUFFER);

  ProcessList(NvmlBinding nvml, ProcessReader reader, ProcFs proc, UserNames users) {
    this.nvml = nvml;
    this.reader = reader;
    this.proc = proc;
    this.users = users;
    this.processName = nvml.has("nvmlSystemGetProcessName");
  }

  List<GpuProcess> read(NvmlGpu g) {
    Map<Long, String> types = new LinkedHashMap<>();
    Map<Long, Long> used = new LinkedHashMap<>();
    for (ProcessReader.Kind kind : ProcessReader.Kind.values()) {
      List<ProcessReader.Entry> entries = reader.read(g, kind);
      if (entries == null) {
        continue;
      }
      for (ProcessReader.Entry e : entries) {
        types.merge(e.pid(), kind.type, (a, b) -> a.equals(b) ? a : "compute+graphics");
        if (e.usedBytes() != null) {
          used.merge(e.pid(), e.usedBytes(), Math::max);
        }
      }
    }
    List<GpuProcess> out = new ArrayList<>(types.size());
    for (Map.Entry<Long, String> e : types.entrySet()) {
      long pid = e.getKey();
      ProcessDetails d = ProcessDetails.of(pid, proc, users);
      if (d.command() == null) {
        d = d.withCommandFallback(driverName(pid));
      }
      out.add(
          new GpuProcess(
              pid, g.index, used.get(pid), e.getValue(), d.user(), d.command(), d.container()));
    }
    return out;
  }

  /** The driver's name for a PID this namespace cannot see in /proc. */
  private String driverName(long pid) {
    if (!processName) {
      return null;
    }
    nameBuffer.clear();
    int rc = nvml.lib.nvmlSystemGetProcessName((int) pid, nameBuffer, PROCESS_NAME_BUFFER);
    return rc == SUCCESS ? nameBuffer.getString(0, "UTF-8") : null;
  }
}
