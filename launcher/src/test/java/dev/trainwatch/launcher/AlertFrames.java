package dev.trainwatch.launcher;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A dashboard's view of alerts: one real WebSocket subscribed to every server's {@code alerts}
 * channel, keeping every frame's data. Tests wait for a frame by what it says, never by time.
 */
final class AlertFrames implements AutoCloseable {
  private record Waiter(Predicate<JsonObject> test, Promise<JsonObject> done) {}

  private final Vertx vertx;
  private final List<JsonObject> alerts = new CopyOnWriteArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private WebSocket ws;

  private AlertFrames(Vertx vertx) {
    this.vertx = vertx;
  }

  static AlertFrames open(Vertx vertx, int port, String token) throws Exception {
    AlertFrames f = new AlertFrames(vertx);
    Promise<Void> subscribed = Promise.promise();
    f.ws =
        vertx
            .createWebSocketClient()
            .connect(TestCredentials.ws(port, token))
            .await(10, TimeUnit.SECONDS);
    f.ws.textMessageHandler(
        text -> {
          JsonObject m = new JsonObject(text);
          if ("subscribed".equals(m.getString("event"))) {
            subscribed.tryComplete();
          } else if ("alerts".equals(m.getString("channel"))) {
            f.add(m.getJsonObject("data"));
          }
        });
    f.ws.writeTextMessage(
        new JsonObject()
            .put("op", "subscribe")
            .put("server", "*")
            .put("channels", new JsonArray().add("alerts"))
            .encode());
    subscribed.future().await(10, TimeUnit.SECONDS);
    return f;
  }

  private synchronized void add(JsonObject alert) {
    alerts.add(alert);
    waiters.removeIf(w -> w.test.test(alert) && w.done.tryComplete(alert));
  }

  /** The first frame (already received or to come) that passes {@code test}. */
  synchronized Future<JsonObject> when(Predicate<JsonObject> test) {
    for (JsonObject a : alerts) {
      if (test.test(a)) {
        return Future.succeededFuture(a);
      }
    }
    Promise<JsonObject> p = Promise.promise();
    waiters.add(new Waiter(test, p));
    return p.future();
  }

  JsonObject await(Predicate<JsonObject> test) throws Exception {
    return when(test).await(30, TimeUnit.SECONDS);
  }

  List<JsonObject> all() {
    return List.copyOf(alerts);
  }

  List<JsonObject> of(String server) {
    return alerts.stream().filter(a -> server.equals(a.getString("server"))).toList();
  }

  static Predicate<JsonObject> is(String server, String rule, String state) {
    return a ->
        server.equals(a.getString("server"))
            && rule.equals(a.getString("rule"))
            && state.equals(a.getString("state"));
  }

  @Override
  public void close() {
    if (ws != null) {
      ws.close();
    }
  }
}
