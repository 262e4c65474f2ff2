package dev.trainwatch.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.HistoryQuery;
import dev.trainwatch.bus.derived.*;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HistoryVerticleTest extends WithEmbeddedPg {



  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    JsonObject cfg = historyConfig();
    vertx.deployVerticle(new HistoryVerticle(), new DeploymentOptions().setConfig(cfg)).onComplete(ctx.succeedingThenComplete());
  }

  static DerivedSnapshot snap(String server, long seq, Instant ts, double cpu) {
    return new DerivedSnapshot(server, ts, "boot-a", seq, 1.0, false,
        new AgentSeen("0.1.0", "host-" + server, Map.of("rack", "r1"), "10.0.0.7"),
        new CpuFigures(cpu, List.of(cpu, cpu), 2.0, 0.0, List.of(0.5, 0.4, 0.3)),
        new MemoryFigures(1000L, 4000L, 3000L, 0L, 100L, null, null),
        new DiskFigures(10.0, 20.0, List.of()), new NetworkFigures(1.0, 2.0, List.of()), List.of(),
        new GpuRollup(null, null, null, null), new Bottleneck("idle", List.of("idle: all quiet"), List.of()), List.of());
  }

  private static long rows(String server) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
         ResultSet rs = c.createStatement().executeQuery("select count(*) from snapshots where server = '" + server + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void storesOnceAndAcknowledgesDuplicates(Vertx vertx, VertxTestContext ctx) {
    var bus = vertx.eventBus();
    Instant t = Instant.parse("2026-11-22T06:00:00Z");
    JsonObject body = snap("alpha", 1, t, 40).toJson();
    bus.<JsonObject>request(Addresses.HISTORY_STORE, body)
        .compose(first -> {
          ctx.verify(() -> assertThat(first.body().getBoolean("duplicate")).isFalse());
          return bus.<JsonObject>request(Addresses.HISTORY_STORE, body);
        })
        .onComplete(ctx.succeeding(second -> ctx.verify(() -> {
          assertThat(second.body().getBoolean("duplicate")).isTrue();
          assertThat(rows("alpha")).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void concurrentWritesAreBatchedAndAllCommitted(Vertx vertx, VertxTestContext ctx) {
    Instant t = Instant.parse("2026-11-22T07:00:00Z");
    List<Future<?>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(vertx.eventBus().request(Addresses.HISTORY_STORE, snap("beta", i, t.plusSeconds(i), i % 100).toJson()));
    }
    Future.all(all).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(rows("beta")).isEqualTo(200);
      ctx.completeNow();
    })));
  }

  @Test
  void registryAndHistoryQueries(Vertx vertx, VertxTestContext ctx) {
    var bus = vertx.eventBus();
    Instant t = Instant.parse("2026-11-22T08:00:00Z");
    Future.all(List.of(
            bus.request(Addresses.HISTORY_STORE, snap("gamma", 1, t, 10).toJson()),
            bus.request(Addresses.HISTORY_STORE, snap("gamma", 2, t.plusSeconds(1), 30).toJson()),
            bus.request(Addresses.HISTORY_STORE, snap("gamma", 3, t.plusSeconds(10), 90).toJson())))
        .compose(v -> bus.<JsonObject>request(Addresses.SERVERS_LIST, new JsonObject()))
        .compose(list -> {
          ctx.verify(() -> {
            JsonObject g = list.body().getJsonArray("servers").stream().map(JsonObject.class::cast)
                .filter(s -> s.getString("slug").equals("gamma")).findFirst().orElseThrow();
            assertThat(g.getString("hostname")).isEqualTo("host-gamma");
            assertThat(g.getString("last_ip")).isEqualTo("10.0.0.7");
            assertThat(g.getString("agent_version")).isEqualTo("0.1.0");
            assertThat(g.getJsonObject("labels").getString("rack")).isEqualTo("r1");
            assertThat(g.getString("status")).isEqualTo("online");
          });
          return bus.<JsonObject>request(Addresses.HISTORY_QUERY,
              new HistoryQuery("gamma", t, t.plusSeconds(20), 5).toJson());
        })
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          JsonObject h = reply.body();
          assertThat(h.getString("resolution")).isEqualTo("raw");
          assertThat(h.getInteger("step_s")).isEqualTo(5);
          JsonArray points = h.getJsonArray("points");
          assertThat(points).hasSize(2);
          JsonObject p0 = points.getJsonObject(0);
          assertThat(p0.getString("ts")).isEqualTo("2026-11-22T08:00:00.000Z");
          assertThat(p0.getLong("samples")).isEqualTo(2);
          assertThat(p0.getJsonObject("cpu").getDouble("utilization")).isEqualTo(20.0);
          assertThat(p0.getJsonObject("memory").getLong("ram_total")).isEqualTo(4000L);
          assertThat(points.getJsonObject(1).getJsonObject("cpu").getDouble("utilization")).isEqualTo(90.0);
          ctx.completeNow();
        })));
  }

  @Test
  void rejectsAGarbageSnapshotWithoutStoringIt(Vertx vertx, VertxTestContext ctx) {
    JsonObject bad = snap("delta", 1, Instant.now(), 10).toJson().put("seq", "one");
    vertx.eventBus().request(Addresses.HISTORY_STORE, bad).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(FailureCode.of(e)).isEqualTo(FailureCode.INVALID_PAYLOAD);
      assertThat(rows("delta")).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void stepIsChosenForAtMostAThousandPoints() {
    assertThat(HistoryQueries.stepFor(java.time.Duration.ofMinutes(10))).isEqualTo(1);
    assertThat(HistoryQueries.stepFor(java.time.Duration.ofHours(1))).isEqualTo(5);
    assertThat(HistoryQueries.stepFor(java.time.Duration.ofHours(24))).isEqualTo(120);
  }
}
