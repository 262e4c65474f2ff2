package dev.trainwatch.alerts.notify;

import dev.trainwatch.alerts.Alert;

/**
 * What one notification tells: an alert, and the change ({@code firing}, {@code escalated}, {@code
 * resolved}).
 */
public record Notice(Alert alert, String event) {
  /**
   * Stable per (alert, change): a receiver that sees it twice (a retry after a lost response) can
   * drop the repeat.
   */
  public String deliveryId() {
    return alert.id()
        + ":"
        + event
        + (event.equals("escalated") ? ":" + alert.severity().id() : "");
  }
}
