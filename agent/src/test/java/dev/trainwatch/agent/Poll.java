package dev.trainwatch.agent;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Waits for a condition by checking it on a Vert.x timer (blocking checks such as JDBC on a
 * worker), never by sleeping: the returned future completes as soon as the condition holds, or
 * fails with {@code what} at the deadline.
 */
public final class Poll {
  private Poll() {}

  public static Future<Void> until(
      Vertx vertx, long timeoutMs, Supplier<String> what, Callable<Boolean> condition) {
    Promise<Void> done = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMs;
    check(vertx, deadline, what, condition, done);
    return done.future();
  }

  private static void check(
      Vertx vertx,
      long deadline,
      Supplier<String> what,
      Callable<Boolean> condition,
      Promise<Void> done) {
    vertx
        .executeBlocking(condition, false)
        .onComplete(
            ar -> {
              if (ar.succeeded() && Boolean.TRUE.equals(ar.result())) {
                done.complete();
              } else if (System.currentTimeMillis() > deadline) {
                done.fail(
                    new AssertionError(
                        "timed out waiting for "
                            + what.get()
                            + (ar.failed() ? " (last check failed: " + ar.cause() + ")" : "")));
              } else {
                vertx.setTimer(100, id -> check(vertx, deadline, what, condition, done));
              }
            });
  }
}
