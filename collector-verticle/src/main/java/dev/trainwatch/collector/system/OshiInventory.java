package dev.trainwatch.collector.system;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;
import oshi.hardware.HWDiskStore;
import oshi.software.common.os.linux.LinuxOperatingSystem;

/**
 * The static inventory through OSHI. Each fact falls back on its own (a missing libudev costs the
 * serials, not the collector). Slow on some hosts (udev enumeration, a DMI read once took 14 s in
 * oshi#2342): call from a worker.
 */
final class OshiInventory {
  private static final Logger LOG = LoggerFactory.getLogger(OshiInventory.class);

  /** USER_HZ is a fixed part of the kernel ABI: 100 on x86, arm64, ppc64, s390 and riscv. */
  private static final long DEFAULT_USER_HZ = 100;

  private static final long DEFAULT_PAGE_SIZE = 4096;

  private OshiInventory() {}

  static StaticInventory read(SystemInfo si) {
    return new StaticInventory(cores(si), userHz(si), pageSize(si), diskSerials(si));
  }

  private static int cores(SystemInfo si) {
    try {
      return Math.max(1, si.getHardware().getProcessor().getLogicalProcessorCount());
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("OSHI could not count logical processors ({}); using the JVM's count", e.toString());
      return Runtime.getRuntime().availableProcessors();
    }
  }

  private static long userHz(SystemInfo si) {
    try {
      if (si.getOperatingSystem() instanceof LinuxOperatingSystem linux && linux.getHz() > 0) {
        return linux.getHz();
      }
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("OSHI could not read CLK_TCK ({}); assuming {}", e.toString(), DEFAULT_USER_HZ);
    }
    return DEFAULT_USER_HZ;
  }

  private static long pageSize(SystemInfo si) {
    try {
      long p = si.getHardware().getMemory().getPageSize();
      return p > 0 ? p : DEFAULT_PAGE_SIZE;
    } catch (RuntimeException | LinkageError e) {
      LOG.warn(
          "OSHI could not read the page size ({}); assuming {}", e.toString(), DEFAULT_PAGE_SIZE);
      return DEFAULT_PAGE_SIZE;
    }
  }

  /** Names as the kernel spells them ({@code nvme0n1}), serials only where udev had a real one. */
  static Map<String, String> diskSerials(SystemInfo si) {
    Map<String, String> out = new HashMap<>();
    try {
      for (HWDiskStore d : si.getHardware().getDiskStores()) {
        String serial = d.getSerial();
        if (serial != null && !serial.isBlank() && !serial.equalsIgnoreCase("unknown")) {
          out.put(kernelName(d.getName()), serial.strip());
        }
      }
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("OSHI could not list disks ({}); serials come from sysfs only", e.toString());
    }
    return out;
  }

  static String kernelName(String devNode) {
    return devNode.startsWith("/dev/") ? devNode.substring(5) : devNode;
  }
}
