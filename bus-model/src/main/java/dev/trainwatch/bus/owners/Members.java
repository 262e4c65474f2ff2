package dev.trainwatch.bus.owners;

import dev.trainwatch.bus.FailureCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One sender's (or node's) view of the live nodes of a role ({@link Owned}), from their heartbeats
 * on the role's members address ({@link Heartbeat}): a node is live from its first heartbeat until
 * it says it is leaving or {@link #EXPIRY_MS} pass without one. Nothing is stored in the cluster
 * manager: each view is rebuilt from the bus in one heartbeat, and a node that dies is out of every
 * view within {@link #EXPIRY_MS} plus one check, whatever the cluster manager takes to notice.
 * Confined to the event loop of the verticle that created it.
 */
public final class Members {
  public static final long HEARTBEAT_MS = 500;

  /**
   * Four missed heartbeats. A takeover must happen within 5 s of a death (issue 15): this, plus a
   * quarter of it for the expiry check, plus the sender's retry. A pause longer than this (a full
   * GC on a starved node) costs the servers that move one sample without rates, nothing else.
   */
  public static final long EXPIRY_MS = 2_000;

  private final Vertx vertx;
  private final Owned role;
  private final long expiryMs;
  private final Map<String, Long> lastHeardNs = new HashMap<>();
  private final List<Consumer<OwnerRing>> listeners = new ArrayList<>();

  /** Volatile: self-metrics read it from the registry's thread. */
  private volatile OwnerRing ring = OwnerRing.of(List.of());

  /** Requests waiting on each node's answer: failed at once when their node leaves the ring. */
  private final Map<String, Set<Promise<?>>> inFlight = new HashMap<>();

  private MessageConsumer<JsonObject> consumer;
  private long timer = -1;

  public Members(Vertx vertx, Owned role) {
    this(vertx, role, EXPIRY_MS);
  }

  public Members(Vertx vertx, Owned role, long expiryMs) {
    this.vertx = vertx;
    this.role = role;
    this.expiryMs = expiryMs;
  }

  public Future<Void> start() {
    consumer =
        vertx
            .eventBus()
            .consumer(
                role.members,
                m -> {
                  JsonObject b = m.body();
                  String node = b.getString("node");
                  if (node != null) {
                    if (Boolean.FALSE.equals(b.getBoolean("up"))) {
                      left(node);
                    } else {
                      heard(node);
                    }
                  }
                });
    timer = vertx.setPeriodic(Math.max(50, expiryMs / 4), id -> expire());
    return consumer.completion();
  }

  /** Called on every change of the ring, with the new one. */
  public void onChange(Consumer<OwnerRing> listener) {
    listeners.add(listener);
  }

  public OwnerRing ring() {
    return ring;
  }

  /**
   * Where {@code server}'s messages go: its owner's address, or any node's of the role while none
   * is known.
   */
  public String addressFor(String server) {
    String owner = ring.owner(server);
    return owner == null ? role.address : role.nodeAddress(owner);
  }

  /**
   * Sends {@code body} to the owner of {@code server}. If the owner leaves the ring before
   * answering (it died), the answer is {@link FailureCode#UNAVAILABLE} at once: the clustered bus
   * keeps a message for a dead node until the send timeout, which is sized for a slow disk, not for
   * a death.
   */
  public <T> Future<Message<T>> request(String server, Object body, DeliveryOptions options) {
    String owner = ring.owner(server);
    if (owner == null) {
      return vertx.eventBus().request(role.address, body, options);
    }
    Promise<Message<T>> answer = Promise.promise();
    Set<Promise<?>> waiting = inFlight.computeIfAbsent(owner, n -> new HashSet<>());
    waiting.add(answer);
    vertx
        .eventBus()
        .<T>request(role.nodeAddress(owner), body, options)
        .onComplete(
            ar -> {
              Set<Promise<?>> w = inFlight.get(owner);
              if (w != null && w.remove(answer) && w.isEmpty()) {
                inFlight.remove(owner);
              }
              if (ar.succeeded()) {
                answer.tryComplete(ar.result());
              } else {
                answer.tryFail(ar.cause());
              }
            });
    return answer.future();
  }

  /**
   * A heartbeat (a rates node also calls this for itself at start, before its first one has gone
   * round).
   */
  public void heard(String node) {
    if (lastHeardNs.put(node, System.nanoTime()) == null) {
      changed();
    }
  }

  public void left(String node) {
    if (lastHeardNs.remove(node) != null) {
      changed();
    }
  }

  private void expire() {
    long cutoff = System.nanoTime() - expiryMs * 1_000_000L;
    if (lastHeardNs.values().removeIf(t -> t - cutoff < 0)) {
      changed();
    }
  }

  private void changed() {
    ring = OwnerRing.of(lastHeardNs.keySet());
    // Collected first, failed after: a failure's callbacks may send again, into this map.
    List<Promise<?>> orphaned = new ArrayList<>();
    List<String> gone = new ArrayList<>();
    inFlight.forEach(
        (node, waiting) -> {
          if (!lastHeardNs.containsKey(node)) {
            gone.add(node);
            orphaned.addAll(waiting);
          }
        });
    gone.forEach(inFlight::remove);
    for (Promise<?> p : orphaned) {
      p.tryFail(
          FailureCode.UNAVAILABLE.exception(
              role.name().toLowerCase(Locale.ROOT) + " node left before answering; retry"));
    }
    for (Consumer<OwnerRing> l : listeners) {
      l.accept(ring);
    }
  }

  public Future<Void> close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
