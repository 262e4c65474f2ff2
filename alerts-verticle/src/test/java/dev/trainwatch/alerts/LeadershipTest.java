package dev.trainwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: with several alerts verticles on one Postgres (a cluster's nodes), exactly one judges;
 * when it goes, another takes over, loads the open alerts, and neither fires them again nor forgets
 * them.
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

  /** Whatever a test left deployed (a failed one included) must not hold the lock for the next. */
  @org.junit.jupiter.api.AfterEach
  void undeployAll() throws Exception {
    for (String id : new ArrayList<>(stack.vertx.deploymentIDs())) {
      if (!id.equals(stack.historyId)) {
        stack.vertx.undeploy(id).await(10, TimeUnit.SECONDS);
      }
    }
    // A closed session's backend lets go of the lock a moment after the client side is done; a node
    // deployed in
    // that moment (with a minute between its attempts) would wait a minute.
    stack.until(() -> !lockHeld()).await(30, TimeUnit.SECONDS);
  }

  static boolean lockHeld() {
    try (var c = stack.pg.getPostgresDatabase().getConnection();
        var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND classid = 1953980780 AND objid = 1 AND granted")) {
      rs.next();
      return rs.getInt(1) > 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The alert changes published for {@code server}, as they arrive. */
  static List<JsonObject> changesOf(String server) throws Exception {
    List<JsonObject> changes = new CopyOnWriteArrayList<>();
    stack
        .vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.ALERTS_CHANGED,
            m -> {
              if (server.equals(m.body().getString("server"))) {
                changes.add(m.body());
              }
            })
        .completion()
        .await(10, TimeUnit.SECONDS);
    return changes;
  }

  @Test
  void oneEvaluatorAtATimeAndAFailoverContinuesItsAlerts() throws Exception {
    List<JsonObject> changes = changesOf("lead-box");
    AlertsStack.Deployed first = stack.deploy(new JsonObject(), true);
    AlertsStack.Deployed second = stack.deploy(new JsonObject(), false);
    AlertsStack.Deployed third = stack.deploy(new JsonObject(), false);
    assertThat(second.verticle().evaluating()).isFalse();
    assertThat(third.verticle().evaluating()).isFalse();

    Instant t = Instant.parse("2026-12-04T00:00:00Z");
    stack.derived(AlertsStack.temperature("lead-box", 1, 90, t));
    stack.derived(AlertsStack.temperature("lead-box", 2, 90, t.plusSeconds(60)));
    stack
        .until(() -> changes.stream().anyMatch(c -> "firing".equals(c.getString("state"))))
        .await(30, TimeUnit.SECONDS);
    // Every node received both snapshots; one judged them: one pending, one firing.
    assertThat(changes).extracting(c -> c.getString("state")).containsExactly("pending", "firing");
    String id = changes.get(1).getString("id");

    stack.vertx.undeploy(first.id()).await(10, TimeUnit.SECONDS);
    stack
        .until(() -> second.verticle().evaluating() || third.verticle().evaluating())
        .await(30, TimeUnit.SECONDS);
    assertThat(second.verticle().evaluating() && third.verticle().evaluating())
        .as("never two")
        .isFalse();

    stack.derived(AlertsStack.temperature("lead-box", 3, 91, t.plusSeconds(70)));
    stack.derived(AlertsStack.temperature("lead-box", 4, 70, t.plusSeconds(80)));
    stack
        .until(() -> changes.stream().anyMatch(c -> "resolved".equals(c.getString("state"))))
        .await(30, TimeUnit.SECONDS);
    assertThat(changes)
        .extracting(c -> c.getString("state"))
        .containsExactly("pending", "firing", "resolved");
    assertThat(changes.get(2).getString("id")).as("the same alert, continued").isEqualTo(id);
    assertThat(
            stack
                .api(
                    new JsonObject()
                        .put("op", "query")
                        .put("server", "lead-box")
                        // The default window is the last 24 h of the wall clock; these alerts are
                        // of a fixed day.
                        .put("since", t.minusSeconds(3600).toString()))
                .getJsonArray("alerts"))
        .hasSize(1);
  }

  /** Plain SQL on the same database, beside the verticles (as an operator's psql would). */
  static void sql(String statement) throws Exception {
    try (var c = stack.pg.getPostgresDatabase().getConnection();
        var st = c.createStatement()) {
      st.execute(statement);
    }
  }

  @Test
  void aLostSessionHandsOverAndTheOldNodeStopsJudging() throws Exception {
    List<JsonObject> changes = changesOf("cut-box");
    // The first node retries only every minute, so the second is the one that takes over (either
    // would be right, but the test must know which to watch).
    AlertsStack.Deployed first =
        stack.deploy(new JsonObject().put("leader_retry_ms", 60_000), true);
    AlertsStack.Deployed second = stack.deploy(new JsonObject(), false);
    Instant t = Instant.parse("2026-12-04T00:00:00Z");
    stack.derived(AlertsStack.temperature("cut-box", 1, 90, t));
    stack.derived(AlertsStack.temperature("cut-box", 2, 90, t.plusSeconds(60)));
    stack.until(() -> changes.size() == 2).await(30, TimeUnit.SECONDS);
    // The evaluator's session dies under it (a network cut, a Postgres failover): Postgres releases
    // the lock.
    sql(
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = 1953980780"
            + " AND objid = 1 AND granted");
    stack
        .until(() -> second.verticle().evaluating() && !first.verticle().evaluating())
        .await(30, TimeUnit.SECONDS);
    stack.derived(AlertsStack.temperature("cut-box", 3, 70, t.plusSeconds(70)));
    stack.until(() -> changes.size() == 3).await(30, TimeUnit.SECONDS);
    assertThat(changes.get(2).getString("state")).isEqualTo("resolved");
    assertThat(changes.get(2).getString("id")).isEqualTo(changes.get(1).getString("id"));
  }

  @Test
  void aRowAnAcknowledgementResolvedIsNeverReopened() throws Exception {
    List<JsonObject> changes = changesOf("acked-box");
    AlertsStack.Deployed d = stack.deploy(new JsonObject(), true);
    Instant t = Instant.parse("2026-12-04T01:00:00Z");
    stack.derived(AlertsStack.xid("acked-box", 1, 13, t));
    stack.until(() -> changes.size() == 1).await(30, TimeUnit.SECONDS);
    String id = changes.get(0).getString("id");
    // Resolved behind the evaluator's back (no bus message): its next write of this alert must not
    // reopen it.
    sql(
        "UPDATE alerts SET state = 'resolved', resolved_at = now(), acknowledged_by = 'psql', acknowledged_at = now()"
            + " WHERE id = '"
            + id
            + "'");
    stack.derived(AlertsStack.xid("acked-box", 2, 79, t.plusSeconds(1)));
    // Its write is refused, and the evaluator, told so, forgets the alert; the next XID is a new
    // one.
    stack.until(() -> d.verticle().openAlerts() == 0).await(30, TimeUnit.SECONDS);
    stack.derived(AlertsStack.xid("acked-box", 3, 48, t.plusSeconds(2)));
    stack
        .until(() -> changes.stream().anyMatch(c -> !id.equals(c.getString("id"))))
        .await(30, TimeUnit.SECONDS);
    assertThat(changes.stream().filter(c -> id.equals(c.getString("id"))))
        .as("nothing more of the resolved one")
        .hasSize(1);
    JsonObject fresh =
        changes.stream().filter(c -> !id.equals(c.getString("id"))).findFirst().orElseThrow();
    assertThat(fresh.getString("state")).isEqualTo("firing");
    assertThat(fresh.getString("message")).contains("XID 48");
    JsonObject row =
        stack
            .api(
                new JsonObject()
                    .put("op", "query")
                    .put("server", "acked-box")
                    .put("since", t.minusSeconds(3600).toString()))
            .getJsonArray("alerts")
            .stream()
            .map(o -> (JsonObject) o)
            .filter(o -> id.equals(o.getString("id")))
            .findFirst()
            .orElseThrow();
    assertThat(row.getString("state")).isEqualTo("resolved");
    assertThat(row.getString("acknowledged_by")).isEqualTo("psql");
  }
}
