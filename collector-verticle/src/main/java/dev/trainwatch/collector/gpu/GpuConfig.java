package dev.trainwatch.collector.gpu;

import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's {@code gpu} section. A key with the wrong type falls back to its default with a
 * warning rather than stopping the agent: a monitoring agent that refuses to start over a typo
 * monitors nothing.
 *
 * @param nvmlLibrary path of {@code libnvidia-ml.so.1}, or null to let the dynamic loader search
 *     for it
 * @param pcieEveryN read PCIe throughput on every n-th GPU sample (0: never)
 */
public record GpuConfig(boolean enabled, String nvmlLibrary, String nvidiaSmi, int pcieEveryN) {
  private static final Logger LOG = LoggerFactory.getLogger(GpuConfig.class);

  public static final String DEFAULT_NVML_LIBRARY = "libnvidia-ml.so.1";
  public static final String DEFAULT_NVIDIA_SMI = "nvidia-smi";
  public static final int DEFAULT_PCIE_EVERY_N = 5;

  public static GpuConfig defaults() {
    return new GpuConfig(true, null, DEFAULT_NVIDIA_SMI, DEFAULT_PCIE_EVERY_N);
  }

  public static GpuConfig from(JsonObject o) {
    if (o == null) {
      return defaults();
    }
    boolean enabled = value(o, "enabled", Boolean.class, Boolean.TRUE);
    String nvml = value(o, "nvml_library", String.class, null);
    String smi = value(o, "nvidia_smi", String.class, DEFAULT_NVIDIA_SMI);
    Number every = value(o, "pcie_every_n", Number.class, DEFAULT_PCIE_EVERY_N);
    int n = every.intValue();
    if (n < 0 || n != every.doubleValue()) {
      LOG.warn(
          "gpu.pcie_every_n must be a whole number >= 0, got {}; using {}",
          every,
          DEFAULT_PCIE_EVERY_N);
      n = DEFAULT_PCIE_EVERY_N;
    }
    return new GpuConfig(
        enabled, blankToNull(nvml), smi == null || smi.isBlank() ? DEFAULT_NVIDIA_SMI : smi, n);
  }

  private static <T> T value(JsonObject o, String key, Class<T> type, T fallback) {
    Object v = o.getValue(key);
    if (v == null) {
      return fallback;
    }
    if (type.isInstance(v)) {
      return type.cast(v);
    }
    LOG.warn(
        "gpu.{} must be a {}, got {}; using {}",
        key,
        type.getSimpleName().toLowerCase(),
        v,
        fallback);
    return fallback;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
