package dev.trainwatch.history.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.history.HistoryVerticle;
import dev.trainwatch.history.Snapshots;
import dev.trainwatch.history.WithEmbeddedPg;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Raw retention drops whole expired days and nothing else; hourly retention deletes by age; late
 * days come back.
 */
@ExtendWith(VertxExtension.class)
class RetentionTest extends WithEmbeddedPg {

  @Test
  void dropsExactlyTheExpiredPartitions(Vertx vertx, VertxTestContext ctx) {
    HistoryVerticle verticle = new HistoryVerticle();
    JsonObject cfg =
        historyConfig()
            .put("maintenance_ms", 3_600_000L)
            .put("raw_retention_days", 7)
            .put("hourly_retention_days", 10);
    Instant now = Instant.parse("2026-11-22T07:30:00Z");
    List<DerivedSnapshot> snaps = new ArrayList<>();
    for (int d = 10; d <= 21; d++) {
      snaps.add(Snapshots.node("ret", d, Instant.parse("2026-11-" + d + "T12:00:00Z"), d));
    }
    snaps.add(Snapshots.node("ret", 22, Instant.parse("2026-11-22T01:00:00Z"), 22));
    vertx
        .deployVerticle(verticle, new DeploymentOptions().setConfig(cfg))
        .compose(id -> DownsampleTest.store(vertx, snaps.toArray(DerivedSnapshot[]::new)))
        .compose(v -> verticle.downsampleNow(now))
        .compose(v -> verticle.retentionNow(now))
        .compose(
            dropped -> {
              ctx.verify(
                  () -> {
                    // The cutoff is 2026-11-15T07:30Z: the 15th is only partly expired and stays.
                    assertThat(dropped)
                        .containsExactlyInAnyOrder(
                            "samples_p20261110",
                            "samples_p20261111",
                            "samples_p20261112",
                            "samples_p20261113",
                            "samples_p20261114");
                    assertThat(
                            strings(
                                "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                                    + " where i.inhparent = 'samples'::regclass order by 1"))
                        .startsWith("samples_p20261115")
                        // Partitions ahead are made from the real clock at deployment: today + 2
                        // (not the test's "now").
                        .contains(
                            "samples_p20261121",
                            "samples_p20261122",
                            "samples_p"
                                + LocalDate.now(ZoneOffset.UTC)
                                    .plusDays(2)
                                    .format(DateTimeFormatter.BASIC_ISO_DATE));
                    assertThat(strings("select to_char(ts, 'DD') from samples order by ts"))
                        .containsExactly("15", "16", "17", "18", "19", "20", "21", "22");
                    // Hourly keeps 10 days: the cutoff is 2026-11-12T07:30Z.
                    assertThat(
                            strings("select to_char(hour, 'DD') from samples_hourly order by hour"))
                        .containsExactly(
                            "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22");
                  });
              // Replayed data for a dropped day must still be stored, not wedge the writer.
              return DownsampleTest.store(
                  vertx, Snapshots.node("ret", 100, Instant.parse("2026-11-11T08:00:00Z"), 5));
            })
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(strings("select to_char(ts, 'DD') from samples_p20261111"))
                              .containsExactly("11");
                          ctx.completeNow();
                        })));
  }

  /**
   * Retention can drop a day's partition while a batch for that day is on its way: the batch must
   * still land.
   */
  @Test
  void aPartitionDroppedUnderTheWriterIsMadeAgain(Vertx vertx, VertxTestContext ctx) {
    Instant day = Instant.parse("2026-10-03T12:00:00Z");
    vertx
        .deployVerticle(new HistoryVerticle(), new DeploymentOptions().setConfig(historyConfig()))
        .compose(id -> DownsampleTest.store(vertx, Snapshots.node("race", 1, day, 1)))
        .compose(
            v -> {
              // Behind the writer's back, as a retention run on another node would.
              ctx.verify(() -> exec("drop table samples_p20261003"));
              return DownsampleTest.store(vertx, Snapshots.node("race", 2, day.plusSeconds(60), 2));
            })
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(
                                  strings(
                                      "select seq::text from samples_p20261003 s join servers v on v.id = s.sid"
                                          + " where v.slug = 'race'"))
                              .containsExactly("2");
                          ctx.completeNow();
                        })));
  }

  static void exec(String sql) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection()) {
      c.createStatement().execute(sql);
    }
  }

  static List<String> strings(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
