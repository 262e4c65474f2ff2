package dev.trainwatch.bus.owners;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * A node of an {@link Owned} role saying it is alive, every {@link Members#HEARTBEAT_MS}, and that
 * it is leaving.
 */
public final class Heartbeat {
  private final Vertx vertx;
  private final Owned role;
  private final String node;
  private final long timer;

  private Heartbeat(Vertx vertx, Owned role, String node) {
    this.vertx = vertx;
    this.role = role;
    this.node = node;
    this.timer = vertx.setPeriodic(Members.HEARTBEAT_MS, id -> say(true));
    say(true);
  }

  /** Starts beating now; call once the node's own address takes messages. */
  public static Heartbeat start(Vertx vertx, Owned role, String node) {
    return new Heartbeat(vertx, role, node);
  }

  /** Senders move this node's servers on now rather than after the expiry. */
  public void stop() {
    vertx.cancelTimer(timer);
    say(false);
  }

  private void say(boolean up) {
    vertx.eventBus().publish(role.members, new JsonObject().put("node", node).put("up", up));
  }
}
