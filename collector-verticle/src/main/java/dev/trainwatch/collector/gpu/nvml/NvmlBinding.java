package dev.trainwatch.collector.gpu.nvml;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import dev.trainwatch.collector.gpu.GpuConfig;
import dev.trainwatch.collector.gpu.GpuUnavailableException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The loaded {@code libnvidia-ml.so.1}: the JNA proxy plus the set of symbols this driver actually
 * exports, probed once with {@code dlsym} so an optional call the driver lacks leaves its field
 * absent instead of throwing.
 */
final class NvmlBinding {
  /** Without these nothing works; a driver lacking one is older than NVML 5.319 (2013). */
  static final List<String> REQUIRED =
      List.of(
          "nvmlInit_v2", "nvmlShutdown", "nvmlDeviceGetCount_v2", "nvmlDeviceGetHandleByIndex_v2");

  /**
   * Probed only to guess the process-entry layout (see {@link EntryStride#guess}); never called.
   */
  static final List<String> MARKERS =
      List.of("nvmlDeviceGetConfComputeMemSizeInfo", "nvmlDeviceGetRunningProcessDetailList");

  /**
   * Strong references to every library ever loaded. JNA registers a cleaner that {@code dlclose}s
   * an unreachable NativeLibrary; unloading NVML without a balanced shutdown has broken other
   * clients (cuda-checkpoint#58), and a daemon thread could still be inside it. NVML stays mapped
   * for the life of the JVM.
   */
  private static final Map<String, Object[]> KEEP_ALIVE = new ConcurrentHashMap<>();

  final NvmlLibrary lib;
  final String path;
  private final Set<String> symbols;

  private NvmlBinding(NvmlLibrary lib, String path, Set<String> symbols) {
    this.lib = lib;
    this.path = path;
    this.symbols = symbols;
  }

  /**
   * Loads the library ({@code path} null: the loader's search for {@code libnvidia-ml.so.1}) and
   * probes it.
   */
  static NvmlBinding load(String path) throws GpuUnavailableException {
    String name = path == null ? GpuConfig.DEFAULT_NVML_LIBRARY : path;
    if (path != null && !Files.isRegularFile(Path.of(path))) {
      throw new GpuUnavailableException("NVML: " + path + " not found");
    }
    NvmlLibrary lib;
    try {
      lib = Native.load(name, NvmlLibrary.class);
    } catch (UnsatisfiedLinkError e) {
      throw new GpuUnavailableException(
          "NVML: " + name + " not loadable (" + loaderMessage(e) + ")");
    }
    NativeLibrary nativeLibrary =
        ((Library.Handler) Proxy.getInvocationHandler(lib)).getNativeLibrary();
    KEEP_ALIVE.put(name, new Object[] {lib, nativeLibrary});
    Set<String> found = probe(nativeLibrary);
    for (String required : REQUIRED) {
      if (!found.contains(required)) {
        throw new GpuUnavailableException(
            "NVML: " + name + " lacks " + required + " (driver too old or not NVML)");
      }
    }
    return new NvmlBinding(lib, name, Set.copyOf(found));
  }

  private static Set<String> probe(NativeLibrary nativeLibrary) {
    Set<String> names = new HashSet<>(MARKERS);
    for (Method m : NvmlLibrary.class.getDeclaredMethods()) {
      names.add(m.getName());
    }
    Set<String> found = new HashSet<>();
    for (String n : names) {
      try {
        nativeLibrary.getFunction(n);
        found.add(n);
      } catch (UnsatisfiedLinkError e) {
        // not exported by this driver: the fields it serves stay absent
      }
    }
    return found;
  }

  boolean has(String symbol) {
    return symbols.contains(symbol);
  }

  Set<String> symbols() {
    return symbols;
  }

  /** {@code nvmlErrorString} text and code name, e.g. "Not Supported (ERROR_NOT_SUPPORTED)". */
  String error(int rc) {
    String text = null;
    if (has("nvmlErrorString")) {
      try {
        text = lib.nvmlErrorString(rc);
      } catch (RuntimeException e) {
        text = null;
      }
    }
    return text == null || text.isBlank()
        ? NvmlCodes.name(rc)
        : text + " (" + NvmlCodes.name(rc) + ")";
  }

  /**
   * JNA's message lists every path it tried; the dlopen reason on its second line is what an
   * operator needs.
   */
  private static String loaderMessage(UnsatisfiedLinkError e) {
    String msg = e.getMessage() == null ? e.toString() : e.getMessage();
    for (String line : msg.split("\n")) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("Unable to load library")) {
        return l.length() <= 200 ? l : l.substring(0, 200) + "…";
      }
    }
    String first = msg.strip();
    return first.length() <= 200 ? first : first.substring(0, 200) + "…";
  }
}
