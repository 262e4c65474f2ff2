package dev.trainwatch.alerts.eval;

import dev.trainwatch.alerts.Alert;

/**
 * One state change the evaluator decided. Every kind is stored and published on the {@code alerts}
 * channel; notifications go out for {@link Kind#FIRED}, {@link Kind#ESCALATED} (a firing alert's
 * severity went up: an XID 79 after an XID 13 on the same GPU) and {@link Kind#RESOLVED} of an
 * alert that had fired.
 */
public record Change(Alert alert, Kind kind) {
  public enum Kind {
    PENDING,
    FIRED,
    UPDATED,
    ESCALATED,
    RESOLVED
  }

  public boolean notifies() {
    return kind == Kind.FIRED
        || kind == Kind.ESCALATED
        || (kind == Kind.RESOLVED && alert.firedAt() != null);
  }

  /**
   * What a notification calls this change: {@code firing}, {@code escalated} or {@code resolved}.
   */
  public String event() {
    return switch (kind) {
      case ESCALATED -> "escalated";
      case RESOLVED -> "resolved";
      default -> "firing";
    };
  }
}
