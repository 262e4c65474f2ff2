package dev.trainwatch.history.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.history.HistoryVerticle;
import dev.trainwatch.history.PgSettings;
import dev.trainwatch.history.Snapshots;
import dev.trainwatch.history.WithEmbeddedPg;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The writer's duplicate check under another ts, as each kind of writer makes it: one that starts
 * with no marks (a restart: seeded from Postgres) and one that shares the table with other history
 * nodes (looks every row up, under a per-boot advisory lock).
 */
@ExtendWith(VertxExtension.class)
class WriterDedupTest extends WithEmbeddedPg {
  static final Instant T = Instant.parse("2026-11-23T12:00:00Z");

  @BeforeEach
  void schema(Vertx vertx) throws Exception {
    // The verticle applies the migrations and makes the partitions; the writers below are then made
    // by hand.
    String id =
        vertx
            .deployVerticle(
                new HistoryVerticle(), new DeploymentOptions().setConfig(historyConfig()))
            .await(60, TimeUnit.SECONDS);
    vertx.undeploy(id).await(10, TimeUnit.SECONDS);
  }

  private SnapshotWriter writer(Vertx vertx, boolean shared) {
    PgSettings s = PgSettings.fromUrl(url(pg.getPort()));
    return new SnapshotWriter(
        vertx,
        () ->
            PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(1))
                .connectingTo(s.connectOptions())
                .using(vertx)
                .build(),
        new SnapshotWriter.Settings(100, 0, 1000, 50, 5_000, 10_000, shared));
  }

  /** Runs on a context, as the verticle would: the writer's state belongs to one event loop. */
  private Future<Boolean> write(
      Vertx vertx, SnapshotWriter w, String server, long seq, Instant ts) {
    Promise<Boolean> p = Promise.promise();
    vertx.runOnContext(v -> w.write(Snapshots.node(server, seq, ts, 1.0)).onComplete(p));
    return p.future();
  }

  @Test
  void aRestartedWriterStillSeesStoredSeqsUnderAnotherTs(Vertx vertx, VertxTestContext ctx) {
    SnapshotWriter first = writer(vertx, false);
    write(vertx, first, "marks", 5, T)
        .compose(
            stored -> {
              ctx.verify(() -> assertThat(stored).isTrue());
              return first.close();
            })
        .compose(
            v -> {
              SnapshotWriter second = writer(vertx, false);
              return write(vertx, second, "marks", 5, T.plusSeconds(86_400))
                  .compose(
                      again ->
                          write(vertx, second, "marks", 3, T.plusSeconds(60))
                              .map(low -> List.of(again, low)))
                  .compose(
                      r ->
                          write(vertx, second, "marks", 3, T.plusSeconds(120))
                              .map(x -> List.of(r.get(0), r.get(1), x)))
                  .eventually(second::close);
            })
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r)
                              .as("5 again under another day; 3, new; 3 again")
                              .containsExactly(false, true, false);
                          assertThat(rows("marks")).isEqualTo(2);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aSharedWriterLooksEveryRowUp(Vertx vertx, VertxTestContext ctx) {
    SnapshotWriter a = writer(vertx, true);
    SnapshotWriter b = writer(vertx, true);
    write(vertx, a, "shared", 9, T)
        .compose(x -> write(vertx, b, "shared", 9, T.plusSeconds(7_200)).map(y -> List.of(x, y)))
        .compose(
            r ->
                write(vertx, a, "shared", 10, T.plusSeconds(1))
                    .map(z -> List.of(r.get(0), r.get(1), z)))
        .eventually(() -> a.close().eventually(b::close))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertThat(r).containsExactly(true, false, true);
                          assertThat(rows("shared")).isEqualTo(2);
                          ctx.completeNow();
                        })));
  }

  private static long rows(String server) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery("select count(*) from snapshots where server = '" + server + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
