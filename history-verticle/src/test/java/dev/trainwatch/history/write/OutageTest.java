package dev.trainwatch.history.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.history.HistoryVerticle;
import dev.trainwatch.history.Snapshots;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Postgres stops while writes are in flight and comes back on the same data and port: every
 * acknowledged snapshot is in the table, writes past the buffer are refused with UNAVAILABLE
 * (ingest's 503), the rest are stored late. The write deadline is set long here to show the buffer
 * itself; with the default 1.5 s the waiting writes fail in time instead ({@code StorageFaultTest}
 * in the launcher covers that, end to end).
 */
@ExtendWith(VertxExtension.class)
class OutageTest {
  EmbeddedPostgres pg;
  File dir;

  private EmbeddedPostgres start(int port) throws Exception {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  @AfterEach
  void stop() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private Future<Boolean> write(Vertx vertx, long seq, Instant t0, List<Long> rejected) {
    return vertx
        .eventBus()
        .request(
            Addresses.HISTORY_STORE, Snapshots.node("out", seq, t0.plusSeconds(seq), 30).toJson())
        .transform(
            ar -> {
              if (ar.failed()) {
                assertThat(FailureCode.of(ar.cause())).isEqualTo(FailureCode.UNAVAILABLE);
                rejected.add(seq);
              }
              return Future.succeededFuture(ar.succeeded());
            });
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void restartMidWriteLosesNothingAcknowledged(Vertx vertx, VertxTestContext ctx) throws Exception {
    dir = Files.createTempDirectory("tw-outage").toFile();
    pg = start(0);
    int port = pg.getPort();
    HistoryVerticle verticle = new HistoryVerticle();
    JsonObject cfg =
        new JsonObject()
            .put("pg_url", "postgresql://postgres@127.0.0.1:" + port + "/postgres")
            .put("flush_ms", 5)
            .put("batch_max", 50)
            .put("buffer_max", 300)
            .put("retry_ms", 50)
            .put("write_deadline_ms", 60_000)
            .put("maintenance_ms", 3_600_000L);
    Instant t0 = Instant.parse("2026-11-21T00:00:00Z");
    List<Long> rejected = Collections.synchronizedList(new ArrayList<>());
    List<Future<Boolean>> acks = new ArrayList<>();
    vertx
        .deployVerticle(verticle, new DeploymentOptions().setConfig(cfg))
        .compose(
            id -> {
              for (long seq = 0; seq < 200; seq++) {
                acks.add(write(vertx, seq, t0, rejected));
              }
              return vertx.executeBlocking(
                  () -> {
                    pg.close(); // while the 200 are being batched and committed
                    return null;
                  });
            })
        .compose(
            v -> {
              // More than the buffer holds, whether or not any of the first 200 were committed
              // before the stop.
              for (long seq = 200; seq < 550; seq++) {
                acks.add(write(vertx, seq, t0, rejected));
              }
              // A garbage store is answered at once, after every store sent before it was queued or
              // refused.
              return vertx
                  .eventBus()
                  .request(Addresses.HISTORY_STORE, new JsonObject())
                  .transform(x -> Future.succeededFuture())
                  .compose(
                      x ->
                          vertx.executeBlocking(
                              () -> {
                                assertThat(rejected).isNotEmpty();
                                // Full at the fill; a batch whose commit reply was already on its
                                // way when Postgres stopped may
                                // leave the queue after it (seen: 288), never more than one batch.
                                assertThat(verticle.queuedWrites()).isBetween(300 - 50, 300);
                                pg = start(port);
                                return null;
                              }));
            })
        .compose(v -> Future.join(acks))
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          Set<Long> acked = new HashSet<>();
                          for (int i = 0; i < acks.size(); i++) {
                            if (acks.get(i).result()) {
                              acked.add((long) i);
                            }
                          }
                          assertThat(acked.size() + rejected.size()).isEqualTo(550);
                          assertThat(rejected).allMatch(seq -> seq >= 200);
                          assertThat(storedSeqs(port)).isEqualTo(acked);
                          ctx.completeNow();
                        })));
  }

  private static Set<Long> storedSeqs(int port) throws Exception {
    Set<Long> out = new HashSet<>();
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", null);
        ResultSet rs =
            c.createStatement().executeQuery("select seq from snapshots where server = 'out'")) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }
}
