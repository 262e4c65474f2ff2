package dev.trainwatch.alerts.eval;

import dev.trainwatch.alerts.Alert;

/**
 * One state change the evaluator decided. Every kind is stored and published on the {@code alerts} channel;
 * notifications go out for {@link Kind#FIRED} and for {@link Kind#RESOLVED} of an alert that had fired.
 */
public record Change(Alert alert, Kind kind) {
  public enum Kind { PENDING, FIRED, UPDATED, RESOLVED }

  public boolean notifies() {
    return kind == Kind.FIRED || (kind == Kind.RESOLVED && alert.firedAt() != null);
  }
}
