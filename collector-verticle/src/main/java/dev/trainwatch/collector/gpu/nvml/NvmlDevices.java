package dev.trainwatch.collector.gpu.nvml;

import static dev.trainwatch.collector.gpu.nvml.NvmlLayout.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.trainwatch.collector.gpu.GpuUnavailableException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enumerates the GPUs once at start, with the identity that does not change while NVML stays
 * initialised.
 */
final class NvmlDevices {
  private static final Logger LOG = LoggerFactory.getLogger(NvmlDevices.class);

  private NvmlDevices() {}

  static List<NvmlGpu> enumerate(NvmlBinding nvml) throws GpuUnavailableException {
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
        LOG.warn(
            "GPU {}: nvmlDeviceGetHandleByIndex_v2 failed: {}; skipping it", i, nvml.error(rc));
        continue;
      }
      Pointer handle = out.getPointer(0);
      String uuid =
          nvml.has("nvmlDeviceGetUUID")
                  && nvml.lib.nvmlDeviceGetUUID(handle, text, UUID_BUFFER) == SUCCESS
              ? text.getString(0, "UTF-8")
              : null;
      String name =
          nvml.has("nvmlDeviceGetName")
                  && nvml.lib.nvmlDeviceGetName(handle, text, NAME_BUFFER) == SUCCESS
              ? text.getString(0, "UTF-8")
              : null;
      String busId = null;
      if (nvml.has("nvmlDeviceGetPciInfo_v3")) {
        pci.clear();
        if (nvml.lib.nvmlDeviceGetPciInfo_v3(handle, pci) == SUCCESS) {
          byte[] b = pci.getByteArray(PCI_BUS_ID_OFFSET, PCI_BUS_ID_LENGTH);
          busId = Native.toString(b, "UTF-8");
        }
      }
      gpus.add(new NvmlGpu(i, handle, blankToNull(uuid), blankToNull(name), blankToNull(busId)));
    }
    return List.copyOf(gpus);
  }

  static String driverVersion(NvmlBinding nvml) {
    return systemString(nvml, "nvmlSystemGetDriverVersion");
  }

  static String nvmlVersion(NvmlBinding nvml) {
    return systemString(nvml, "nvmlSystemGetNVMLVersion");
  }

  private static String systemString(NvmlBinding nvml, String symbol) {
    if (!nvml.has(symbol)) {
      return null;
    }
    Memory buf = new Memory(VERSION_BUFFER);
    int rc =
        symbol.equals("nvmlSystemGetDriverVersion")
            ? nvml.lib.nvmlSystemGetDriverVersion(buf, VERSION_BUFFER)
            : nvml.lib.nvmlSystemGetNVMLVersion(buf, VERSION_BUFFER);
    return rc == SUCCESS ? blankToNull(buf.getString(0, "UTF-8")) : null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
