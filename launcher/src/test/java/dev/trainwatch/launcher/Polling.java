package dev.trainwatch.launcher;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Waiting on other processes without sleeping: ask on a Vert.x timer until the answer is yes or
 * time is up.
 */
final class Polling {
  private Polling() {}

  /** Asks every 100 ms until true, for at most {@code seconds}; whether it became true. */
  static boolean until(Vertx vertx, Supplier<Future<Boolean>> ask, int seconds) throws Exception {
    Promise<Boolean> p = Promise.promise();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    vertx.runOnContext(v -> poll(vertx, ask, deadline, p));
    return p.future().await(seconds + 30, TimeUnit.SECONDS);
  }

  private static void poll(
      Vertx vertx, Supplier<Future<Boolean>> ask, long deadline, Promise<Boolean> p) {
    ask.get()
        .recover(e -> Future.succeededFuture(false))
        .onSuccess(
            ok -> {
              if (ok || System.nanoTime() > deadline) {
                p.tryComplete(ok);
              } else {
                vertx.setTimer(100, t -> poll(vertx, ask, deadline, p));
              }
            });
  }

  /**
   * {@code n} ports free on loopback just now (for Hazelcast, which is given its ports up front).
   */
  static int[] freePorts(int n) throws Exception {
    int[] out = new int[n];
    List<ServerSocket> held = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      held.add(s);
      out[i] = s.getLocalPort();
    }
    for (ServerSocket s : held) {
      s.close();
    }
    return out;
  }
}
