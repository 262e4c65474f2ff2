package dev.trainwatch.alerts.rules;

import java.util.Map;
import java.util.Set;

/**
 * What an XID means and what to do about it, after NVIDIA's "XID Errors" catalogue (docs/alerts.md
 * cites it). The critical set is the one issue 14 names: each of these means lost work or hardware
 * that needs an operator.
 */
public final class Xid {
  private Xid() {}

  /**
   * Double-bit ECC, row-remap failures, NVLink, fallen off the bus, high SBE rate,
   * contained/uncontained ECC.
   */
  public static final Set<Long> CRITICAL = Set.of(48L, 63L, 64L, 74L, 79L, 92L, 94L, 95L);

  private static final Map<Long, String> MEANING =
      Map.ofEntries(
          Map.entry(13L, "graphics engine exception (usually the application: check its logs)"),
          Map.entry(
              31L, "GPU memory page fault (usually an illegal memory access by the application)"),
          Map.entry(32L, "invalid or corrupted push buffer stream"),
          Map.entry(43L, "GPU stopped processing (the application faulted)"),
          Map.entry(45L, "preemptive cleanup after earlier errors (a process was killed)"),
          Map.entry(48L, "double-bit ECC error: drain the node and reset the GPU"),
          Map.entry(61L, "internal micro-controller breakpoint/warning"),
          Map.entry(62L, "internal micro-controller halt: reset the GPU"),
          Map.entry(
              63L,
              "ECC page retirement or row remapping recorded: reset the GPU when convenient to apply it"),
          Map.entry(
              64L,
              "ECC page retirement or row remapper recording failure: the GPU may need replacing (RMA)"),
          Map.entry(68L, "video decoder (NVDEC) exception"),
          Map.entry(74L, "NVLink error: check the link and reset the GPUs on it"),
          Map.entry(
              79L,
              "GPU has fallen off the bus: drain the node, then check power, cooling and the PCIe slot"),
          Map.entry(
              92L, "high single-bit ECC error rate: watch it, replace the GPU if it persists"),
          Map.entry(94L, "contained ECC error: the affected application must restart"),
          Map.entry(95L, "uncontained ECC error: drain the node and reset the GPU"),
          Map.entry(119L, "GSP RPC timeout: reset the GPU"),
          Map.entry(120L, "GSP error: reset the GPU"));

  public static boolean critical(long xid) {
    return CRITICAL.contains(xid);
  }

  public static String meaning(long xid) {
    return MEANING.getOrDefault(xid, "see NVIDIA's XID catalogue");
  }
}
