package dev.trainwatch.bus;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Slowloris defence for our HTTP/1.1 listeners (issue 13). The idle timeout only bounds the gap
 * between two bytes, so a client sending a byte a minute keeps a connection, and whatever was
 * buffered for it, as long as it likes. These deadlines are on totals instead:
 *
 * <ul>
 *   <li>a connection delivers a complete request head within {@link #HEAD_MS} of opening, or it is
 *       closed;
 *   <li>a request's body has arrived within {@link #BODY_MS} of its head, or the answer is 408 and
 *       the connection closes (1 MiB, the largest body we take, in 30 s is 35 KB/s: an agent on any
 *       working link does better);
 *   <li>the next request head on a kept-alive connection arrives within {@link #KEEP_ALIVE_MS} (the
 *       idle timeout: an idle connection closes then anyway), or the connection is closed.
 * </ul>
 *
 * A WebSocket leaves these rules at its handshake; the hub's limits govern it from there. One
 * instance per server and verticle instance: its handlers all run on that instance's event loop.
 */
public final class RequestDeadlines {
  public static final long HEAD_MS = 10_000;
  public static final long BODY_MS = 30_000;
  public static final long KEEP_ALIVE_MS = 120_000;

  private final Vertx vertx;
  private final long headMs;
  private final long bodyMs;
  private final long keepAliveMs;

  /** By remote address: a WebSocket handshake names its peer but not its connection. */
  private final Map<String, Watched> watched = new HashMap<>();

  /** Written on the event loop, read by the metrics registry's thread. */
  private volatile long closedForLateness;

  private final class Watched {
    final HttpConnection conn;
    final String key;
    long timer = -1;

    Watched(HttpConnection conn, String key) {
      this.conn = conn;
      this.key = key;
    }

    void arm(long ms, Runnable onLate) {
      disarm();
      timer =
          vertx.setTimer(
              ms,
              id -> {
                timer = -1;
                onLate.run();
              });
    }

    void disarm() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    void close() {
      closedForLateness++;
      forget(this);
      conn.close();
    }
  }

  /**
   * {@code config} may shorten the deadlines for tests: {@code head_timeout_ms}, {@code
   * body_timeout_ms}.
   */
  public RequestDeadlines(Vertx vertx, JsonObject config) {
    this.vertx = vertx;
    this.headMs = config.getLong("head_timeout_ms", HEAD_MS);
    this.bodyMs = config.getLong("body_timeout_ms", BODY_MS);
    this.keepAliveMs = config.getLong("keep_alive_timeout_ms", KEEP_ALIVE_MS);
  }

  /** The server's connection handler. */
  public void connected(HttpConnection conn) {
    Watched w = watch(conn);
    if (w != null) {
      w.arm(headMs, w::close);
    }
  }

  /** Wraps the server's request handler. */
  public Handler<HttpServerRequest> requests(Handler<HttpServerRequest> next) {
    return req -> {
      // Also a connection whose WebSocket handshake was refused and that goes on with plain
      // requests.
      Watched w = watch(req.connection());
      if (w != null) {
        w.arm(bodyMs, () -> bodyDeadline(w, req));
      }
      next.handle(req);
    };
  }

  /** Wraps the server's WebSocket handshake handler. */
  public Handler<ServerWebSocketHandshake> handshakes(Handler<ServerWebSocketHandshake> next) {
    return hs -> {
      Watched w = hs.remoteAddress() == null ? null : watched.get(key(hs.remoteAddress()));
      if (w != null) {
        forget(w);
      }
      next.handle(hs);
    };
  }

  /** Connections closed by a deadline since start (for self-metrics). */
  public long closedForLateness() {
    return closedForLateness;
  }

  /** Connections under watch now (for tests and self-metrics). */
  public int watching() {
    return watched.size();
  }

  private void bodyDeadline(Watched w, HttpServerRequest req) {
    if (req.isEnded()) {
      w.arm(keepAliveMs, () -> keepAliveDeadline(w, req));
      return;
    }
    var resp = req.response();
    if (!resp.headWritten() && !resp.closed()) {
      closedForLateness++;
      forget(w);
      resp.putHeader("connection", "close");
      HttpErrors.send(
              resp,
              FailureCode.REQUEST_TIMEOUT,
              "the request body did not arrive within " + bodyMs + " ms",
              null)
          .onComplete(ar -> w.conn.close()); // the rest of the body is not worth reading
    } else {
      w.close();
    }
  }

  private void keepAliveDeadline(Watched w, HttpServerRequest last) {
    if (!last.response().ended() && !last.response().closed()) {
      w.arm(
          keepAliveMs,
          () -> keepAliveDeadline(w, last)); // still answering: a long response is not the client's
    } else {
      w.close();
    }
  }

  private Watched watch(HttpConnection conn) {
    SocketAddress peer = conn.remoteAddress();
    if (peer == null) {
      return null;
    }
    String key = key(peer);
    Watched w = watched.get(key);
    if (w == null || w.conn != conn) {
      Watched fresh = new Watched(conn, key);
      watched.put(key, fresh);
      conn.closeHandler(v -> forget(fresh));
      w = fresh;
    }
    return w;
  }

  private void forget(Watched w) {
    w.disarm();
    watched.remove(w.key, w);
  }

  private static String key(SocketAddress a) {
    return a.hostAddress() + ' ' + a.port();
  }
}
