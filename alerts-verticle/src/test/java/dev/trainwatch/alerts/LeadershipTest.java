package dev.trainwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: with several alerts verticles on one Postgres (a cluster's nodes), exactly one judges; when it goes, another
 * takes over, loads the open alerts, and neither fires them again nor forgets them.
 */
class LeadershipTest {
  static AlertsStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = new AlertsStack();
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
  }

  @Test
  void oneEvaluatorAtATimeAndAFailoverContinuesItsAlerts() throws Exception {
    List<JsonObject> changes = new CopyOnWriteArrayList<>();
    stack.vertx.eventBus().<JsonObject>consumer(Addresses.ALERTS_CHANGED, m -> {
      if ("lead-box".equals(m.body().getString("server"))) {
        changes.add(m.body());
      }
    }).completion().await(10, TimeUnit.SECONDS);
    AlertsStack.Deployed first = stack.deploy(new JsonObject(), true);
    AlertsStack.Deployed second = stack.deploy(new JsonObject(), false);
    AlertsStack.Deployed third = stack.deploy(new JsonObject(), false);
    assertThat(second.verticle().evaluating()).isFalse();
    assertThat(third.verticle().evaluating()).isFalse();

    Instant t = Instant.parse("2026-12-04T00:00:00Z");
    stack.derived(AlertsStack.temperature("lead-box", 1, 90, t));
    stack.derived(AlertsStack.temperature("lead-box", 2, 90, t.plusSeconds(60)));
    stack.until(() -> changes.stream().anyMatch(c -> "firing".equals(c.getString("state"))))
        .await(30, TimeUnit.SECONDS);
    // Every node received both snapshots; one judged them: one pending, one firing.
    assertThat(changes).extracting(c -> c.getString("state")).containsExactly("pending", "firing");
    String id = changes.get(1).getString("id");

    stack.vertx.undeploy(first.id()).await(10, TimeUnit.SECONDS);
    stack.until(() -> second.verticle().evaluating() || third.verticle().evaluating()).await(30, TimeUnit.SECONDS);
    assertThat(second.verticle().evaluating() && third.verticle().evaluating()).as("never two").isFalse();

    stack.derived(AlertsStack.temperature("lead-box", 3, 91, t.plusSeconds(70)));
    stack.derived(AlertsStack.temperature("lead-box", 4, 70, t.plusSeconds(80)));
    stack.until(() -> changes.stream().anyMatch(c -> "resolved".equals(c.getString("state"))))
        .await(30, TimeUnit.SECONDS);
    assertThat(changes).extracting(c -> c.getString("state")).containsExactly("pending", "firing", "resolved");
    assertThat(changes.get(2).getString("id")).as("the same alert, continued").isEqualTo(id);
    assertThat(stack.api(new JsonObject().put("op", "query").put("server", "lead-box")).getJsonArray("alerts"))
        .hasSize(1);
  }
}
