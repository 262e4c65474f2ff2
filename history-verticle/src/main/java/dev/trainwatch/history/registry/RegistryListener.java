package dev.trainwatch.history.registry;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on Postgres channels and relays each NOTIFY (the admin CLI's, possibly from another
 * process) on the bus: channel {@code c} is published to {@code relays.get(c).address()} as {@code
 * {relays.get(c).key(): payload}}. One connection of our own, rather than vertx-pg-client's
 * PgSubscriber, so that its errors are ours to handle: a subscriber's connection has no exception
 * handler and prints a stack trace whenever Postgres stops first (as it does when Ctrl-C reaches
 * both). Reconnects after {@link #RETRY_MS} while the verticle runs.
 */
public final class RegistryListener {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryListener.class);
  static final long RETRY_MS = 1_000;

  private final Vertx vertx;
  private final PgConnectOptions options;

  /** Where one Postgres channel's notifications go on the bus. */
  public record Relay(String address, String key) {}

  private final Map<String, Relay> relays;
  private PgConnection connection;
  private boolean stopped;

  public RegistryListener(Vertx vertx, PgConnectOptions options, Map<String, Relay> relays) {
    this.vertx = vertx;
    this.options = options;
    this.relays = Map.copyOf(relays);
  }

  public Future<Void> start() {
    return PgConnection.connect(vertx, options)
        .compose(
            c -> {
              connection = c;
              c.notificationHandler(
                  n -> {
                    Relay r = relays.get(n.getChannel());
                    if (r != null) {
                      vertx
                          .eventBus()
                          .publish(r.address(), new JsonObject().put(r.key(), n.getPayload()));
                    }
                  });
              c.exceptionHandler(e -> LOG.debug("registry listener connection: {}", e.toString()));
              c.closeHandler(v -> reconnectLater());
              // The channel names are ours (constants), quoted as identifiers all the same.
              return Future.all(
                      relays.keySet().stream()
                          .map(
                              ch ->
                                  c.query("LISTEN \"" + ch.replace("\"", "\"\"") + "\"").execute())
                          .toList())
                  .<Void>mapEmpty();
            });
  }

  private void reconnectLater() {
    connection = null;
    if (stopped) {
      return;
    }
    vertx.setTimer(
        RETRY_MS,
        t -> {
          if (!stopped) {
            start()
                .onFailure(
                    e -> {
                      LOG.debug("registry listener reconnect failed: {}", e.toString());
                      reconnectLater();
                    });
          }
        });
  }

  public Future<Void> stop() {
    stopped = true;
    return connection == null ? Future.succeededFuture() : connection.close();
  }
}
