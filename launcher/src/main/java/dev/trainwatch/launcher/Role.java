package dev.trainwatch.launcher;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What one JVM runs. {@code all} is every role on the local bus (embedded mode). */
public enum Role {
  ALL,
  COLLECTOR,
  INGEST,
  RATES,
  HISTORY,
  ALERTS,
  GATEWAY;

  public static Set<Role> expand(Set<Role> roles) {
    if (roles.isEmpty() || roles.contains(ALL)) {
      return EnumSet.of(COLLECTOR, INGEST, RATES, HISTORY, ALERTS, GATEWAY);
    }
    return EnumSet.copyOf(roles);
  }

  /** picocli converter: case-insensitive names. */
  public static Role parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown role '" + s + "' (all, collector, ingest, rates, history, alerts, gateway)");
    }
  }
}
