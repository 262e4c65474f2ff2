package dev.trainwatch.alerts.rules;

import java.util.Locale;

/** Ordered: a later constant is worse. */
public enum Severity {
  INFO,
  WARNING,
  CRITICAL;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Severity parse(String s) {
    for (Severity v : values()) {
      if (v.id().equals(s)) {
        return v;
      }
    }
    return null;
  }
}
