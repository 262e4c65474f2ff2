package dev.trainwatch.history.maintenance;

import static dev.trainwatch.history.Snapshots.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.HistoryQuery;
import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.history.HistoryVerticle;
import dev.trainwatch.history.Snapshots;
import dev.trainwatch.history.WithEmbeddedPg;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hourly roll-ups against figures computed by hand, late data, and where raw answers give way to
 * hourly ones.
 */
@ExtendWith(VertxExtension.class)
class DownsampleTest extends WithEmbeddedPg {
  HistoryVerticle verticle;

  static final Instant H = Instant.parse("2026-11-10T10:00:00Z");

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    verticle = new HistoryVerticle();
    JsonObject cfg = historyConfig().put("maintenance_ms", 3_600_000L);
    vertx
        .deployVerticle(verticle, new DeploymentOptions().setConfig(cfg))
        .onComplete(ctx.succeedingThenComplete());
  }

  static Future<?> store(Vertx vertx, DerivedSnapshot... snaps) {
    List<Future<?>> all = new ArrayList<>();
    for (DerivedSnapshot s : snaps) {
      all.add(vertx.eventBus().request(Addresses.HISTORY_STORE, s.toJson()));
    }
    return Future.all(all);
  }

  static Future<JsonObject> query(Vertx vertx, String server, Instant from, Instant to) {
    // The reply is the document already encoded (a Buffer), as the gateway sends it.
    return vertx
        .eventBus()
        .<Buffer>request(Addresses.HISTORY_QUERY, new HistoryQuery(server, from, to, null).toJson())
        .map(m -> new JsonObject(m.body()));
  }

  @Test
  void hourlyRowsMatchHandComputedAggregatesAndLateDataReaggregates(
      Vertx vertx, VertxTestContext ctx) {
    String s = "ds-a";
    store(
            vertx,
            Snapshots.node(s, 1, H, 10),
            Snapshots.node(s, 2, H.plusSeconds(60), 20),
            Snapshots.node(s, 3, H.plusSeconds(3599), 90),
            Snapshots.node(s, 4, H.plusSeconds(3600), 50))
        .compose(v -> verticle.downsampleNow(H.plusSeconds(7200)))
        .compose(
            n -> {
              ctx.verify(() -> assertThat(n).isGreaterThanOrEqualTo(2)); // other tests' hours too
              return query(vertx, s, H, H.plus(Duration.ofDays(2)));
            })
        .compose(
            h -> {
              ctx.verify(
                  () -> {
                    assertThat(h.getString("resolution")).isEqualTo("hourly");
                    assertThat(h.getInteger("step_s")).isEqualTo(3600);
                    assertThat(h.getJsonArray("points")).hasSize(2);
                    JsonObject p = h.getJsonArray("points").getJsonObject(0);
                    assertThat(p.getString("ts")).isEqualTo(Json.ts(H));
                    assertThat(p.getLong("samples")).isEqualTo(3);
                    assertThat(p.getJsonObject("cpu").getDouble("utilization")).isEqualTo(40.0);
                    assertThat(p.getJsonObject("min").getDouble("cpu.utilization")).isEqualTo(10.0);
                    assertThat(p.getJsonObject("max").getDouble("cpu.utilization")).isEqualTo(90.0);
                    assertThat(p.getJsonObject("cpu").getJsonArray("per_core").getDouble(2))
                        .isEqualTo(42.0);
                    assertThat(p.getJsonObject("memory").getLong("ram_used")).isEqualTo(40 * GIB);
                    assertThat(p.getJsonObject("memory").getLong("ram_total"))
                        .isEqualTo(1024 * GIB);
                    assertThat(p.getDouble("gpu_util_max")).isEqualTo(90.0);
                    JsonObject g3 = p.getJsonArray("gpus").getJsonObject(3);
                    assertThat(g3.getInteger("index")).isEqualTo(3);
                    assertThat(g3.getString("uuid")).isEqualTo("GPU-ds-a-3");
                    assertThat(g3.getDouble("utilization")).isEqualTo(40.0);
                    assertThat(g3.getDouble("temperature"))
                        .isEqualTo(53.0); // 40 + load/4 + 3, averaged
                    assertThat(g3.getDouble("power")).isEqualTo(300.0);
                    assertThat(g3.getLong("memory_total")).isEqualTo(80 * GIB);
                    assertThat(g3.getLong("memory_used")).isEqualTo(20 * GIB);
                    JsonObject d1 = p.getJsonObject("disk").getJsonArray("disks").getJsonObject(1);
                    assertThat(d1.getString("name")).isEqualTo("nvme1n1");
                    assertThat(d1.getDouble("read_rate")).isCloseTo(4e7, within(1.0));
                    assertThat(
                            p.getJsonObject("network")
                                .getJsonArray("interfaces")
                                .getJsonObject(0)
                                .getDouble("download_rate"))
                        .isCloseTo(1.2e9, within(100.0));
                    assertThat(p.getJsonObject("bottleneck").getString("label")).isEqualTo("idle");
                    assertThat(hourlySamples(s, H)).isEqualTo(3);
                  });
              // A replayed snapshot for the closed hour: the hour must be recomputed, and only that
              // hour.
              return store(vertx, Snapshots.node(s, 5, H.plusSeconds(1800), 100));
            })
        .compose(
            v -> {
              ctx.verify(() -> assertThat(dirtyHours(s)).containsExactly(H.toString()));
              return verticle.downsampleNow(H.plusSeconds(7200));
            })
        .compose(
            n -> {
              ctx.verify(() -> assertThat(n).isGreaterThanOrEqualTo(1));
              return query(vertx, s, H, H.plus(Duration.ofDays(2)));
            })
        .onComplete(
            ctx.succeeding(
                h ->
                    ctx.verify(
                        () -> {
                          JsonObject p = h.getJsonArray("points").getJsonObject(0);
                          assertThat(p.getLong("samples")).isEqualTo(4);
                          assertThat(p.getJsonObject("cpu").getDouble("utilization"))
                              .isEqualTo(55.0);
                          assertThat(p.getJsonObject("max").getDouble("cpu.utilization"))
                              .isEqualTo(100.0);
                          assertThat(h.getJsonArray("points").getJsonObject(1).getLong("samples"))
                              .isEqualTo(1);
                          assertThat(dirtyHours(s)).isEmpty();
                          ctx.completeNow();
                        })));
  }

  @Test
  void openHoursAreNotAggregated(Vertx vertx, VertxTestContext ctx) {
    String s = "ds-b";
    Instant later = H.plus(Duration.ofDays(5)); // after every hour the other tests close
    store(vertx, Snapshots.node(s, 1, later.plusSeconds(10), 10))
        .compose(v -> verticle.downsampleNow(later.plusSeconds(3599)))
        .onComplete(
            ctx.succeeding(
                n ->
                    ctx.verify(
                        () -> {
                          assertThat(hourlySamples(s, later)).isZero();
                          assertThat(dirtyHours(s)).containsExactly(later.toString());
                          ctx.completeNow();
                        })));
  }

  @Test
  void resolutionSwitchesAfterTwentyFourHours(Vertx vertx, VertxTestContext ctx) {
    String s = "ds-c";
    store(vertx, Snapshots.node(s, 1, H, 10), Snapshots.node(s, 2, H.plusSeconds(30), 30))
        .compose(v -> verticle.downsampleNow(H.plusSeconds(7200)))
        .compose(v -> query(vertx, s, H, H.plus(Duration.ofHours(24))))
        .compose(
            raw -> {
              ctx.verify(
                  () -> {
                    assertThat(raw.getString("resolution")).isEqualTo("raw");
                    assertThat(raw.getInteger("step_s")).isEqualTo(120);
                    assertThat(raw.getJsonArray("points")).hasSize(1);
                    assertThat(
                            raw.getJsonArray("points")
                                .getJsonObject(0)
                                .getJsonObject("cpu")
                                .getDouble("utilization"))
                        .isEqualTo(20.0);
                  });
              return query(vertx, s, H, H.plus(Duration.ofHours(24)).plusSeconds(1));
            })
        .onComplete(
            ctx.succeeding(
                hourly ->
                    ctx.verify(
                        () -> {
                          assertThat(hourly.getString("resolution")).isEqualTo("hourly");
                          assertThat(hourly.getInteger("step_s")).isEqualTo(3600);
                          assertThat(hourly.getJsonArray("points")).hasSize(1);
                          assertThat(
                                  hourly
                                      .getJsonArray("points")
                                      .getJsonObject(0)
                                      .getJsonObject("cpu")
                                      .getDouble("utilization"))
                              .isEqualTo(20.0);
                          ctx.completeNow();
                        })));
  }

  @Test
  void longRangesMergeHoursIntoCoarserSteps(Vertx vertx, VertxTestContext ctx) {
    String s = "ds-d";
    Instant day = Instant.parse("2026-10-01T00:00:00Z");
    store(
            vertx,
            Snapshots.node(s, 1, day, 10),
            Snapshots.node(s, 2, day.plusSeconds(3600), 20),
            Snapshots.node(s, 3, day.plusSeconds(3601), 20),
            Snapshots.node(s, 4, day.plusSeconds(3602), 50))
        .compose(v -> verticle.downsampleNow(day.plus(Duration.ofDays(1))))
        .compose(v -> query(vertx, s, day, day.plus(Duration.ofDays(50))))
        .onComplete(
            ctx.succeeding(
                h ->
                    ctx.verify(
                        () -> {
                          assertThat(h.getInteger("step_s")).isEqualTo(7200);
                          JsonObject p = h.getJsonArray("points").getJsonObject(0);
                          assertThat(p.getLong("samples")).isEqualTo(4);
                          assertThat(p.getJsonObject("cpu").getDouble("utilization"))
                              .isEqualTo(25.0); // hours weighted by samples
                          assertThat(p.getJsonObject("min").getDouble("cpu.utilization"))
                              .isEqualTo(10.0);
                          ctx.completeNow();
                        })));
  }

  static long hourlySamples(String server, Instant hour) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        var st =
            c.prepareStatement(
                "select coalesce(sum(samples), 0) from samples_hourly h join servers s on s.id = h.sid"
                    + " where s.slug = ? and h.hour = ?::timestamptz")) {
      st.setString(1, server);
      st.setString(2, hour.toString());
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static List<String> dirtyHours(String server) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        var st =
            c.prepareStatement(
                "select d.hour from dirty_hours d join servers s on s.id = d.sid"
                    + " where s.slug = ? order by d.hour")) {
      st.setString(1, server);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getTimestamp(1).toInstant().toString());
        }
      }
    }
    return out;
  }
}
