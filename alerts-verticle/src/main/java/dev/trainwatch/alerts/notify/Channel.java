package dev.trainwatch.alerts.notify;

import io.vertx.core.Future;

/**
 * One way out (webhook, e-mail): a single attempt; retries and dead letters are the {@link
 * Notifier}'s.
 */
public interface Channel {
  /** {@code webhook} or {@code email}: the dead-letter table's channel column. */
  String name();

  /** The exact payload one attempt sends, kept in the dead letter when every attempt failed. */
  String payload(Notice notice);

  Future<Void> send(Notice notice, String payload);
}
