package dev.trainwatch.collector.gpu.nvml;

import static dev.trainwatch.collector.gpu.nvml.NvmlLayout.*;

import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.GpuRaw;
import dev.trainwatch.bus.raw.XidEvent;
import dev.trainwatch.collector.gpu.GpuConfig;
import dev.trainwatch.collector.gpu.GpuMetrics;
import dev.trainwatch.collector.gpu.GpuSource;
import dev.trainwatch.collector.gpu.GpuUnavailableException;
import dev.trainwatch.collector.gpu.StateLog;
import dev.trainwatch.collector.gpu.proc.ProcFs;
import dev.trainwatch.collector.gpu.proc.UserNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPUs read through NVML. NVML is initialised once at open and shut down only in {@link #close()}:
 * init can take seconds without persistence mode, and handles are only valid inside one init scope.
 * {@code close()} waits for the sample in flight and stops the background threads first, because
 * {@code nvmlShutdown} under a running call crashes the driver library (nvitop#222).
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
  private final ProcessList processList;
  private final PcieSampler pcie;
  private final XidWatcher xid;
  private final StateLog failures = new StateLog(LOG);

  /**
   * Samples and close() take turns: the readers reuse native scratch memory, and close() must not
   * shut NVML down under a sample in flight. The interface already forbids concurrent calls, so
   * this never waits in practice.
   */
  private final ReentrantLock lock = new ReentrantLock();

  private boolean closed;

  private NvmlGpuSource(
      NvmlBinding nvml,
      List<NvmlGpu> gpus,
      String reason,
      GpuMetrics metrics,
      PcieSampler pcie,
      XidWatcher xid) {
    this.nvml = nvml;
    this.gpus = gpus;
    this.reason = reason;
    this.metrics = metrics;
    this.devices = new DeviceReader(nvml);
    this.processes = new ProcessReader(nvml);
    this.processList = new ProcessList(nvml, processes, ProcFs.system(), UserNames.system());
    this.pcie = pcie;
    this.xid = xid;
  }

  /** Loads and initialises NVML; throws with an operator-readable reason when it cannot serve. */
  public static NvmlGpuSource open(GpuConfig config, GpuMetrics metrics)
      throws GpuUnavailableException {
    NvmlBinding nvml = NvmlBinding.load(config.nvmlLibrary());
    int rc = nvml.lib.nvmlInit_v2();
    if (rc != SUCCESS) {
      throw new GpuUnavailableException("NVML: nvmlInit_v2 failed: " + nvml.error(rc));
    }
    PcieSampler pcie = null;
    XidWatcher xid = null;
    try {
      List<NvmlGpu> gpus = NvmlDevices.enumerate(nvml);
      String driver = NvmlDevices.driverVersion(nvml);
      if (gpus.isEmpty()) {
        throw new GpuUnavailableException(
            "NVML: no usable GPU" + (driver == null ? "" : " (driver " + driver + ")"));
      }
      if (config.pcieEveryN() > 0 && nvml.has("nvmlDeviceGetPcieThroughput")) {
        pcie = new PcieSampler(nvml, gpus, config.pcieEveryN());
      }
      String[] why = {null};
      xid = XidWatcher.start(nvml, gpus, XID_WAIT_MILLIS, metrics, why);
      String version = NvmlDevices.nvmlVersion(nvml);
      String reason =
          "NVML"
              + (version == null ? "" : " " + version)
              + (driver == null ? "" : ", driver " + driver)
              + ", "
              + gpus.size()
              + " GPU"
              + (gpus.size() == 1 ? "" : "s")
              + " via "
              + nvml.path
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

  /**
   * Stops the background threads; true when none is still inside the driver, so shutting NVML down
   * is safe.
   */
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
        List<XidEvent> gpuEvents =
            xid == null || !xid.watches(g.index) ? null : events.getOrDefault(g.index, List.of());
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
          out.addAll(processList.read(g));
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
        LOG.warn(
            "an NVML background thread is stuck in the driver; leaving NVML initialised rather than crash it");
      }
    } finally {
      lock.unlock();
    }
  }
}
