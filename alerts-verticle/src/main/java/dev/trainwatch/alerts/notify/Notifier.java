package dev.trainwatch.alerts.notify;

import dev.trainwatch.alerts.Alert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends firing and resolved notifications on every configured channel. Two policies live here:
 *
 * <ul>
 *   <li><b>No storm.</b> Per (rule, server, GPU), at most one notification per {@code
 *       min_interval}. What happens inside the interval is not dropped but folded: when it ends,
 *       the latest state is sent if it differs from the last one sent. A rule flapping every second
 *       notifies twice per interval at most, and the receiver always ends up with the true state.
 *   <li><b>Retries, then a dead letter.</b> A failed attempt is retried with exponential backoff;
 *       after {@code max_attempts} the payload is stored as a dead letter (visible in the API) and
 *       counted.
 * </ul>
 */
public final class Notifier {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
  private static final long MAX_BACKOFF_MS = 60_000;

  /** Where undeliverable notifications go. */
  @FunctionalInterface
  public interface DeadLetters {
    Future<Void> store(
        String alertId, String channel, String payload, int attempts, String lastError);
  }

  public record Settings(long minIntervalMs, int maxAttempts, long retryBaseMs) {}

  private static final class Slot {
    long lastSentAt;
    String lastEvent;
    String lastAlert;
    Notice latest;
    long timer = -1;
  }

  private final Vertx vertx;
  private final List<Channel> channels;
  private final DeadLetters deadLetters;
  private final Settings settings;
  private final LongSupplier clock;
  private final Map<String, Slot> slots = new HashMap<>();
  private boolean closed;
  private final Counter sent = counter("sent", "Notifications delivered");
  private final Counter retried =
      counter("retried", "Notification attempts that failed and were retried");
  private final Counter dead =
      counter("dead_lettered", "Notifications given up after every attempt failed");
  private final Counter folded =
      counter("folded", "State changes folded into a later notification (no storm)");

  public Notifier(
      Vertx vertx,
      List<Channel> channels,
      DeadLetters deadLetters,
      Settings settings,
      LongSupplier clock) {
    this.vertx = vertx;
    this.channels = List.copyOf(channels);
    this.deadLetters = deadLetters;
    this.settings = settings;
    this.clock = clock;
  }

  public boolean enabled() {
    return !channels.isEmpty();
  }

  /** A stored state change worth telling (fired, escalated, or resolved after firing). */
  public void offer(Notice n) {
    if (channels.isEmpty() || closed) {
      return;
    }
    long now = clock.getAsLong();
    Slot s = slots.computeIfAbsent(n.alert().key(), k -> new Slot());
    if (s.lastEvent == null || now - s.lastSentAt >= settings.minIntervalMs) {
      dispatch(s, n, now);
      return;
    }
    s.latest = n;
    folded.increment();
    if (s.timer < 0) {
      s.timer =
          vertx.setTimer(
              Math.max(1, s.lastSentAt + settings.minIntervalMs - now),
              id -> {
                s.timer = -1;
                Notice latest = s.latest;
                s.latest = null;
                // Told already if the receiver's last word is this very state of this very alert.
                if (latest != null
                    && !closed
                    && !(latest.event().equals(s.lastEvent)
                        && latest.alert().id().equals(s.lastAlert))) {
                  dispatch(s, latest, clock.getAsLong());
                }
              });
    }
  }

  private void dispatch(Slot s, Notice notice, long now) {
    s.lastSentAt = now;
    s.lastEvent = notice.event();
    s.lastAlert = notice.alert().id();
    for (Channel c : channels) {
      attempt(c, notice, c.payload(notice), 1);
    }
  }

  /**
   * This node stopped evaluating: what it still had to tell (folded changes, retries) is the new
   * evaluator's now, which reloads the open alerts; sending it from here as well would tell
   * receivers twice.
   */
  public void close() {
    closed = true;
    slots
        .values()
        .forEach(
            s -> {
              if (s.timer >= 0) {
                vertx.cancelTimer(s.timer);
              }
            });
    slots.clear();
  }

  private void attempt(Channel c, Notice notice, String payload, int n) {
    if (closed) {
      return;
    }
    Alert a = notice.alert();
    c.send(notice, payload)
        .onSuccess(v -> sent.increment())
        .onFailure(
            e -> {
              if (n >= settings.maxAttempts) {
                dead.increment();
                LOG.warn(
                    "{} notification for alert {} failed {} times, stored as a dead letter: {}",
                    c.name(),
                    a.id(),
                    n,
                    e.getMessage());
                deadLetters
                    .store(a.id(), c.name(), payload, n, String.valueOf(e.getMessage()))
                    .onFailure(
                        f ->
                            LOG.error(
                                "dead letter for alert {} could not be stored: {}",
                                a.id(),
                                f.toString()));
                return;
              }
              retried.increment();
              long delay = Math.min(MAX_BACKOFF_MS, settings.retryBaseMs << Math.min(20, n - 1));
              vertx.setTimer(delay, id -> attempt(c, notice, payload, n + 1));
            });
  }

  /** Forgets keys quiet for longer than the interval, so the map holds only recent ones. */
  public void prune() {
    long now = clock.getAsLong();
    slots.values().removeIf(s -> s.timer < 0 && now - s.lastSentAt > settings.minIntervalMs);
  }

  private static Counter counter(String name, String description) {
    return Counter.builder("trainwatch.alerts.notifications." + name)
        .description(description)
        .register(Metrics.globalRegistry);
  }
}
