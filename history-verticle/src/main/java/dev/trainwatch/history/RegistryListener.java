package dev.trainwatch.history;

import dev.trainwatch.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on the registry channel and relays each NOTIFY (the admin CLI's, possibly from another process) on the bus.
 * One connection of our own, rather than vertx-pg-client's PgSubscriber, so that its errors are ours to handle: a
 * subscriber's connection has no exception handler and prints a stack trace whenever Postgres stops first (as it does
 * when Ctrl-C reaches both). Reconnects after {@link #RETRY_MS} while the verticle runs.
 */
final class RegistryListener {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryListener.class);
  static final long RETRY_MS = 1_000;

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final String channel;
  private PgConnection connection;
  private boolean stopped;

  RegistryListener(Vertx vertx, PgConnectOptions options, String channel) {
    this.vertx = vertx;
    this.options = options;
    this.channel = channel;
  }

  Future<Void> start() {
    return PgConnection.connect(vertx, options).compose(c -> {
      connection = c;
      c.notificationHandler(n -> {
        if (channel.equals(n.getChannel())) {
          vertx.eventBus().publish(Addresses.REGISTRY_CHANGED, new JsonObject().put("slug", n.getPayload()));
        }
      });
      c.exceptionHandler(e -> LOG.debug("registry listener connection: {}", e.toString()));
      c.closeHandler(v -> reconnectLater());
      // The channel name is ours (a constant), quoted as an identifier all the same.
      return c.query("LISTEN \"" + channel.replace("\"", "\"\"") + "\"").execute().<Void>mapEmpty();
    });
  }

  private void reconnectLater() {
    connection = null;
    if (stopped) {
      return;
    }
    vertx.setTimer(RETRY_MS, t -> {
      if (!stopped) {
        start().onFailure(e -> {
          LOG.debug("registry listener reconnect failed: {}", e.toString());
          reconnectLater();
        });
      }
    });
  }

  Future<Void> stop() {
    stopped = true;
    return connection == null ? Future.succeededFuture() : connection.close();
  }
}
