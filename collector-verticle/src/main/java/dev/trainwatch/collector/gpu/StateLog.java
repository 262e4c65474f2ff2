package dev.trainwatch.collector.gpu;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Logs a failing call once per change of its outcome, not once per tick: a GPU without a fan would
 * otherwise write the same line every second forever. Outcomes are keyed by what was called
 * (function and GPU); a recovery is logged too, so the log shows when a field came back.
 *
 * <p>Not thread-safe; each sampling thread owns its own instance.
 */
public final class StateLog {
  private final Logger log;
  private final Map<String, String> last = new HashMap<>();

  public StateLog(Logger log) {
    this.log = log;
  }

  /** Records a success; logs only if this key was failing before. */
  public void ok(String key) {
    String before = last.remove(key);
    if (before != null) {
      log.info("{}: working again (was: {})", key, before);
    }
  }

  /**
   * Records a failure. {@code expected} failures (the hardware lacks the feature) go to DEBUG,
   * others to WARN; both only when the outcome differs from the last one for this key.
   */
  public void failed(String key, String outcome, boolean expected) {
    String before = last.put(key, outcome);
    if (Objects.equals(before, outcome)) {
      return;
    }
    if (expected) {
      log.debug("{}: {}; the field is left absent", key, outcome);
    } else {
      log.warn("{}: {}; the field is left absent until this changes", key, outcome);
    }
  }

  /** Whether {@code key} is currently failing (for tests and self-metrics). */
  public boolean failing(String key) {
    return last.containsKey(key);
  }
}
