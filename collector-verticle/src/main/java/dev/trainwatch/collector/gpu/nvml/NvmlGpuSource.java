package dev.trainwatch.collector.gpu.nvml;

import static dev.trainwatch.collector.gpu.nvml.NvmlLayout.*;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.GpuRaw;
import dev.trainwatch.bus.raw.XidEvent;
import dev.trainwatch.collector.gpu.GpuConfig;
import dev.trainwatch.collector.gpu.GpuMetrics;
import dev.trainwatch.collector.gpu.GpuSource;
import dev.trainwatch.collector.gpu.GpuUnavailableException;
import dev.trainwatch.collector.gpu.StateLog;
import dev.trainwatch.collector.gpu.proc.ProcFs;
import dev.trainwatch.collector.gpu.proc.ProcessDetails;
import dev.trainwatch.collector.gpu.proc.UserNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPUs read through NVML. NVML is initialised once at open and shut down only in {@link #close()}: init can take
 * seconds without persistence mode, and handles are only valid inside one init scope. {@code close()} waits for
 * the sample in flight and stops the background threads first, because {@code nvmlShutdown} under a running call
 * crashes the driver library (nvitop#222).
 */
public final class NvmlGpuSource implements GpuSource {
  private static final Logger LOG = LoggerFactory.getLogger(NvmlGpuSource.class);
  /** How long the XID thread blocks in the driver per wait; bounds how long close() takes. */
  static final int XID_WAIT_MILLIS = 500;

  private final NvmlBinding nvml;
  private final List<NvmlGpu> gpus;
  private final String reason;
  private final GpuMetrics metrics;
  private final DeviceReader devices;
  private final ProcessReader processes;
  private final PcieSampler pcie;
  private final XidWatcher xid;
  private final ProcFs proc = ProcFs.system();
  private final UserNames users = UserNames.system();
  private final StateLog failures = new StateLog(LOG);
  private final Memory nameBuffer = new Memory(PROCESS_NAME_BUFFER);
  /**
   * Samples and close() take turns: the readers reuse native scratch memory, and close() must not shut NVML down
   * under a sample in flight. The interface already forbids concurrent calls, so this never waits in practice.
   */
  private final ReentrantLock lock = new ReentrantLock();
  private boolean closed;

  private NvmlGpuSource(NvmlBinding nvml, List<NvmlGpu> gpus, String reason, GpuMetrics metrics, PcieSampler pcie,
                        XidWatcher xid) {
    this.nvml = nvml;
    this.gpus = gpus;
    this.reason = reason;
    this.metrics = metrics;
    this.devices = new DeviceReader(nvml);
    this.processes = new ProcessReader(nvml);
    this.pcie = pcie;
    this.xid = xid;
  }

  /** Loads and initialises NVML; throws with an operator-readable reason when it cannot serve. */
  public static NvmlGpuSource open(GpuConfig config, GpuMetrics metrics) throws GpuUnavailableException {
    NvmlBinding nvml = NvmlBinding.load(config.nvmlLibrary());
    int rc = nvml.lib.nvmlInit_v2();
    if (rc != SUCCESS) {
      throw new GpuUnavailableException("NVML: nvmlInit_v2 failed: " + nvml.error(rc));
    }
    PcieSampler pcie = null;
    XidWatcher xid = null;
    try {
      List<NvmlGpu> gpus = enumerate(nvml);
      String driver = systemString(nvml, "nvmlSystemGetDriverVersion");
      if (gpus.isEmpty()) {
        throw new GpuUnavailableException("NVML: no usable GPU" + (driver == null ? "" : " (driver " + driver + ")"));
      }
      if (config.pcieEveryN() > 0 && nvml.has("nvmlDeviceGetPcieThroughput")) {
        pcie = new PcieSampler(nvml, gpus, config.pcieEveryN());
      }
      String[] why = {null};
      xid = XidWatcher.start(nvml, gpus, XID_WAIT_MILLIS, metrics, why);
      String version = systemString(nvml, "nvmlSystemGetNVMLVersion");
      String reason = "NVML" + (version == null ? "" : " " + version) + (driver == null ? "" : ", driver " + driver)
          + ", " + gpus.size() + " GPU" + (gpus.size() == 1 ? "" : "s") + " via " + nvml.path
          + (xid == null ? "; XID events unavailable (" + why[0] + ")" : "")
          + (pcie == null ? "; PCIe throughput off" : "");
      return new NvmlGpuSource(nvml, gpus, reason, metrics, pcie, xid);
    } catch (GpuUnavailableException | RuntimeException | LinkageError e) {
      if (stopBackground(pcie, xid)) {
        nvml.lib.nvmlShutdown();
      }
      throw e;
    }
  }

  /** Stops the background threads; true when none is still inside the driver, so shutting NVML down is safe. */
  private static boolean stopBackground(PcieSampler pcie, XidWatcher xid) {
    boolean quiet = true;
    if (pcie != null) {
      pcie.close();
      quiet = pcie.stopped();
    }
    if (xid != null) {
      xid.close();
      quiet &= xid.stopped();
    }
    return quiet;
  }

  private static List<NvmlGpu> enumerate(NvmlBinding nvml) throws GpuUnavailableException {
    Memory out = new Memory(8);
    int rc = nvml.lib.nvmlDeviceGetCount_v2(out);
    if (rc != SUCCESS) {
      throw new GpuUnavailableException("NVML: nvmlDeviceGetCount_v2 failed: " + nvml.error(rc));
    }
    int count = out.getInt(0);
    List<NvmlGpu> gpus = new ArrayList<>(count);
    Memory text = new Memory(Math.max(NAME_BUFFER, UUID_BUFFER));
    Memory pci = new Memory(PCI_INFO_SIZE);
    for (int i = 0; i < count; i++) {
      rc = nvml.lib.nvmlDeviceGetHandleByIndex_v2(i, out);
      if (rc != SUCCESS) {
        // e.g. NO_PERMISSION for a GPU hidden from this container by cgroups: the others still work
        LOG.warn("GPU {}: nvmlDeviceGetHandleByIndex_v2 failed: {}; skipping it", i, nvml.error(rc));
        continue;
      }
      Pointer handle = out.getPointer(0);
      String uuid = nvml.has("nvmlDeviceGetUUID") && nvml.lib.nvmlDeviceGetUUID(handle, text, UUID_BUFFER) == SUCCESS
          ? text.getString(0, "UTF-8") : null;
      String name = nvml.has("nvmlDeviceGetName") && nvml.lib.nvmlDeviceGetName(handle, text, NAME_BUFFER) == SUCCESS
          ? text.getString(0, "UTF-8") : null;
      String busId = null;
      if (nvml.has("nvmlDeviceGetPciInfo_v3")) {
        pci.clear();
        if (nvml.lib.nvmlDeviceGetPciInfo_v3(handle, pci) == SUCCESS) {
          byte[] b = pci.getByteArray(PCI_BUS_ID_OFFSET, PCI_BUS_ID_LENGTH);
          busId = com.sun.jna.Native.toString(b, "UTF-8");
        }
      }
      gpus.add(new NvmlGpu(i, handle, blankToNull(uuid), blankToNull(name), blankToNull(busId)));
    }
    return List.copyOf(gpus);
  }

  private static String systemString(NvmlBinding nvml, String symbol) {
    if (!nvml.has(symbol)) {
      return null;
    }
    Memory buf = new Memory(VERSION_BUFFER);
    int rc = symbol.equals("nvmlSystemGetDriverVersion") ? nvml.lib.nvmlSystemGetDriverVersion(buf, VERSION_BUFFER)
        : nvml.lib.nvmlSystemGetNVMLVersion(buf, VERSION_BUFFER);
    return rc == SUCCESS ? blankToNull(buf.getString(0, "UTF-8")) : null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  @Override
  public String provider() {
    return "nvml";
  }

  @Override
  public String reason() {
    return reason;
  }

  @Override
  public List<GpuRaw> sampleGpus() {
    return metrics.time("gpus", this::readGpus);
  }

  private List<GpuRaw> readGpus() {
    lock.lock();
    try {
      if (closed) {
        return List.of();
      }
      if (pcie != null) {
        pcie.tick();
      }
      Map<Integer, List<XidEvent>> events = xid == null ? Map.of() : xid.drain();
      List<GpuRaw> out = new ArrayList<>(gpus.size());
      for (int i = 0; i < gpus.size(); i++) {
        NvmlGpu g = gpus.get(i);
        List<XidEvent> gpuEvents = xid == null || !xid.watches(g.index) ? null
            : events.getOrDefault(g.index, List.of());
        try {
          out.add(devices.read(g, pcie == null ? null : pcie.get(i), gpuEvents));
          failures.ok(g.label + " sample");
        } catch (RuntimeException | LinkageError e) {
          failures.failed(g.label + " sample", e.toString(), false);
        }
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<GpuProcess> sampleProcesses() {
    return metrics.time("processes", this::readProcesses);
  }

  private List<GpuProcess> readProcesses() {
    lock.lock();
    try {
      if (closed) {
        return List.of();
      }
      List<GpuProcess> out = new ArrayList<>();
      for (NvmlGpu g : gpus) {
        try {
          merge(g, out);
          failures.ok(g.label + " processes");
        } catch (RuntimeException | LinkageError e) {
          failures.failed(g.label + " processes", e.toString(), false);
        }
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** A PID in both lists is one context used both ways (nvidia-smi's "C+G"): one entry, the larger figure. */
  private void merge(NvmlGpu g, List<GpuProcess> out) {
    Map<Long, String> types = new LinkedHashMap<>();
    Map<Long, Long> used = new LinkedHashMap<>();
    for (ProcessReader.Kind kind : ProcessReader.Kind.values()) {
      List<ProcessReader.Entry> entries = processes.read(g, kind);
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
    for (Map.Entry<Long, String> e : types.entrySet()) {
      long pid = e.getKey();
      ProcessDetails d = ProcessDetails.of(pid, proc, users);
      if (d.command() == null) {
        d = d.withCommandFallback(processName(pid));
      }
      out.add(new GpuProcess(pid, g.index, used.get(pid), e.getValue(), d.user(), d.command(), d.container()));
    }
  }

  /** The driver's name for a PID this namespace cannot see in /proc. */
  private String processName(long pid) {
    if (!nvml.has("nvmlSystemGetProcessName")) {
      return null;
    }
    nameBuffer.clear();
    int rc = nvml.lib.nvmlSystemGetProcessName((int) pid, nameBuffer, PROCESS_NAME_BUFFER);
    return rc == SUCCESS ? nameBuffer.getString(0, "UTF-8") : null;
  }

  /** The XID watcher, or null when the driver cannot deliver XID events; for tests. */
  XidWatcher xidWatcher() {
    return xid;
  }

  /** The PCIe sampler, or null when PCIe throughput is off; for tests. */
  PcieSampler pcieSampler() {
    return pcie;
  }

  ProcessReader processReader() {
    return processes;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (stopBackground(pcie, xid)) {
        int rc = nvml.lib.nvmlShutdown();
        if (rc != SUCCESS) {
          LOG.warn("nvmlShutdown: {}", nvml.error(rc));
        }
      } else {
        LOG.warn("an NVML background thread is stuck in the driver; leaving NVML initialised rather than crash it");
      }
    } finally {
      lock.unlock();
    }
  }
}
