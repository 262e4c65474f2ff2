package dev.trainwatch.bus.owners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.FailureCode;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A sender's view of a role's nodes: heartbeats in, silence and goodbyes out, and no wait on a node
 * that left.
 */
@ExtendWith(VertxExtension.class)
class MembersTest {
  static void beat(Vertx vertx, String node, boolean up) {
    vertx.eventBus().publish(Owned.RATES.members, new JsonObject().put("node", node).put("up", up));
  }

  @Test
  void aRequestWaitingOnANodeThatLeavesFailsAtOnce(Vertx vertx, VertxTestContext ctx) {
    Members members = new Members(vertx, Owned.RATES);
    // n1 takes the request and never answers, as a node killed mid-request does.
    vertx
        .eventBus()
        .consumer(Owned.RATES.nodeAddress("n1"), m -> {})
        .completion()
        .compose(v -> members.start())
        .onComplete(
            ctx.succeeding(
                v -> {
                  members.onChange(
                      ring -> {
                        if (ring.nodes().equals(List.of("n1"))) {
                          long sent = System.nanoTime();
                          members
                              .request(
                                  "box",
                                  new JsonObject(),
                                  new DeliveryOptions().setSendTimeout(30_000))
                              .onComplete(
                                  ctx.failing(
                                      e ->
                                          ctx.verify(
                                              () -> {
                                                assertThat(FailureCode.of(e))
                                                    .isEqualTo(FailureCode.UNAVAILABLE);
                                                assertThat((System.nanoTime() - sent) / 1_000_000)
                                                    .as("ms, against a 30 s send timeout")
                                                    .isLessThan(5_000);
                                                ctx.completeNow();
                                              })));
                          vertx.setTimer(50, t -> beat(vertx, "n1", false));
                        }
                      });
                  beat(vertx, "n1", true);
                }));
  }

  @Test
  void aSilentNodeLeavesTheRingAfterTheExpiry(Vertx vertx, VertxTestContext ctx) {
    Members members = new Members(vertx, Owned.RATES, 200);
    members
        .start()
        .onComplete(
            ctx.succeeding(
                v -> {
                  long[] joined = {0};
                  members.onChange(
                      ring -> {
                        if (ring.nodes().equals(List.of("n1", "n2"))) {
                          joined[0] = System.nanoTime();
                        } else if (ring.nodes().equals(List.of("n1")) && joined[0] != 0) {
                          ctx.verify(
                              () -> {
                                assertThat(members.addressFor("anything"))
                                    .isEqualTo(Owned.RATES.nodeAddress("n1"));
                                assertThat((System.nanoTime() - joined[0]) / 1_000_000)
                                    .isBetween(150L, 2_000L);
                              });
                          ctx.completeNow();
                        }
                      });
                  assertThat(members.addressFor("anything"))
                      .as("no node known: any rates node")
                      .isEqualTo(Owned.RATES.address);
                  // n1 keeps beating; n2 beats once and goes silent.
                  vertx.setPeriodic(0, 50, id -> beat(vertx, "n1", true));
                  vertx.setTimer(20, id -> beat(vertx, "n2", true));
                }));
  }
}
