package dev.trainwatch.collector;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/** The health of every collector source, by name. */
final class SourceHealths {
  private final Map<String, SourceHealth> byName = new LinkedHashMap<>();

  SourceHealths(MeterRegistry registry, SourceHealth.Listener listener) {
    for (String s : SourceNames.ALL) {
      byName.put(s, new SourceHealth(s, registry, listener));
    }
  }

  SourceHealth get(String source) {
    SourceHealth h = byName.get(source);
    if (h == null) {
      throw new IllegalArgumentException("no collector source " + source);
    }
    return h;
  }
}
