package dev.trainwatch.collector.gpu.nvml;

import static dev.trainwatch.collector.gpu.nvml.NvmlLayout.SUCCESS;

import dev.trainwatch.collector.gpu.StateLog;
import org.slf4j.Logger;

/**
 * Checks an NVML return code and logs only when a GPU's call changes outcome (first failure, a
 * different failure, recovery). The common case, same outcome as last time, is one int comparison
 * and no allocation.
 */
final class Outcomes {
  private final NvmlBinding nvml;
  private final StateLog states;

  Outcomes(NvmlBinding nvml, Logger log) {
    this.nvml = nvml;
    this.states = new StateLog(log);
  }

  boolean ok(NvmlGpu g, NvmlCall call, int rc) {
    int i = call.ordinal();
    if (rc != g.lastRc[i]) {
      g.lastRc[i] = rc;
      String key = g.label + " " + call.function;
      if (rc == SUCCESS) {
        states.ok(key);
      } else {
        states.failed(key, nvml.error(rc), NvmlCodes.expected(rc));
      }
    }
    return rc == SUCCESS;
  }
}
