package dev.trainwatch.history;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.HistoryQuery;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The numbers, end to end against an embedded Postgres 17: sustained writes through the verticle (bus →
 * batch → unnest insert, acknowledged after commit), bytes per stored value, then, with the table grown to
 * {@code total} rows by copying the written ones to later days in SQL, 1 h raw and 30 d hourly query latency.
 *
 * <pre>
 * mvn -o -q -pl history-verticle test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp "$(cat cp.txt):history-verticle/target/classes:history-verticle/target/test-classes" \
 *   dev.trainwatch.history.HistoryLoad [written=500000] [servers=50] [total=5000000]
 * </pre>
 */
public final class HistoryLoad {
  static final Instant T0 = Instant.parse("2026-09-01T00:00:00Z");

  public static void main(String[] args) throws Exception {
    int written = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    int servers = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    long total = args.length > 2 ? Long.parseLong(args[2]) : 5_000_000L;
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      Vertx vertx = Vertx.vertx();
      HistoryVerticle history = new HistoryVerticle();
      JsonObject cfg = new JsonObject().put("pg_url", "postgresql://postgres@127.0.0.1:" + pg.getPort() + "/postgres")
          .put("maintenance_ms", 86_400_000L);
      vertx.deployVerticle(history, new DeploymentOptions().setConfig(cfg)).await(60, TimeUnit.SECONDS);
      int perServer = written / servers;
      // Warm-up (JIT, prepared statements), on a server the measurements do not use.
      writeAll(vertx, 1, 20_000, "warm").await(120, TimeUnit.SECONDS);
      long start = System.nanoTime();
      writeAll(vertx, servers, perServer, "node").await(3600, TimeUnit.SECONDS);
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf("writes: %d snapshots (%d servers × %d) in %.1f s = %.0f snapshots/s (acknowledged after"
          + " commit)%n", (long) servers * perServer, servers, perServer, secs, servers * perServer / secs);
      try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
        st.execute("DELETE FROM samples WHERE sid = (SELECT id FROM servers WHERE slug = 'warm-0')");
        st.execute("VACUUM ANALYZE samples");
        bytesPerValue(st);
        grow(st, total);
        st.execute("VACUUM ANALYZE samples");
        bytesPerValue(st);
      }
      Instant from = T0.plusSeconds(1800);
      timeQueries(vertx, "1 h raw, one server", new HistoryQuery("node-7", from, from.plusSeconds(3600), null));
      long t = System.nanoTime();
      int hours = history.downsampleNow(T0.plus(Duration.ofDays(1))).await(3600, TimeUnit.SECONDS);
      System.out.printf("downsampling: %d server-hours in %.1f s = %.1f ms per server-hour (%d samples each)%n", hours,
          (System.nanoTime() - t) / 1e9, (System.nanoTime() - t) / 1e6 / hours, Math.min(3600, perServer));
      try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
        // 30 days of hourly rows for node-7: its first aggregated hour, repeated.
        st.execute("""
            INSERT INTO samples_hourly SELECT sid, hour + k * interval '1 hour', samples, gaps, bn, h, m, c, gs, gf, d, n
            FROM samples_hourly, generate_series(1, 24 * 31) k
            WHERE sid = (SELECT id FROM servers WHERE slug = 'node-7') AND hour = '2026-09-01T00:00:00Z'
            ON CONFLICT DO NOTHING""");
        st.execute("VACUUM ANALYZE samples_hourly");
      }
      timeQueries(vertx, "30 d hourly, one server",
          new HistoryQuery("node-7", T0, T0.plus(Duration.ofDays(30)), null));
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** {@code perServer} snapshots for each server at 1 Hz, at most 4,000 unacknowledged (ingest's 503 is 20,000). */
  static Future<Void> writeAll(Vertx vertx, int servers, int perServer, String prefix) {
    Promise<Void> done = Promise.promise();
    long n = (long) servers * perServer;
    AtomicLong next = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    vertx.runOnContext(v -> {
      for (int i = 0; i < 4000 && i < n; i++) {
        send(vertx, servers, prefix, next, acked, n, done);
      }
    });
    return done.future();
  }

  private static void send(Vertx vertx, int servers, String prefix, AtomicLong next, AtomicLong acked, long n,
                           Promise<Void> done) {
    long i = next.getAndIncrement();
    if (i >= n) {
      return;
    }
    long seq = i / servers;
    String server = prefix + "-" + (i % servers);
    double load = 50 + 40 * Math.sin(seq / 300.0 + i % servers);
    JsonObject body = Snapshots.node(server, seq, T0.plusSeconds(seq), load).toJson();
    vertx.eventBus().request(Addresses.HISTORY_STORE, body).onComplete(ar -> {
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      if (acked.incrementAndGet() == n) {
        done.tryComplete();
      } else {
        send(vertx, servers, prefix, next, acked, n, done);
      }
    });
  }

  /** Copies the written rows to later days until the table holds {@code total} rows. */
  static void grow(Statement st, long total) throws Exception {
    long rows = count(st, "SELECT count(*) FROM samples");
    int copies = (int) Math.ceil((double) total / rows) - 1;
    long t = System.nanoTime();
    for (int k = 1; k <= copies; k++) {
      st.execute("SELECT trainwatch_samples_partition(('2026-09-01'::date + " + k + "))");
      st.execute("INSERT INTO samples SELECT ts + interval '" + k + " day', seq, boot, sid, gap, bn, h, m, c, gs, gf,"
          + " d, n FROM samples WHERE ts < '2026-09-02'");
    }
    System.out.printf("grown to %d rows by SQL copies in %.0f s%n", count(st, "SELECT count(*) FROM samples"),
        (System.nanoTime() - t) / 1e9);
  }

  static void bytesPerValue(Statement st) throws Exception {
    long rows = count(st, "SELECT count(*) FROM samples");
    // Every stored figure: array elements except the GPU index (an identity, not a measurement), plus gap and label.
    long values = count(st, "SELECT sum(cardinality(h) + cardinality(m) + cardinality(c) + cardinality(gs)"
        + " - cardinality(gs) / 9 + cardinality(gf) + cardinality(d) + cardinality(n) + 2) FROM samples");
    long table = count(st, "SELECT sum(pg_table_size(inhrelid)) FROM pg_inherits"
        + " WHERE inhparent = 'samples'::regclass");
    long index = count(st, "SELECT sum(pg_indexes_size(inhrelid)) FROM pg_inherits"
        + " WHERE inhparent = 'samples'::regclass");
    System.out.printf("storage: %d rows, %d values (%.1f per row); table %.1f MiB + indexes %.1f MiB"
            + " = %.1f bytes/row, %.2f bytes/value (table %.2f + index %.2f)%n", rows, values, (double) values / rows,
        table / 1048576.0, index / 1048576.0, (double) (table + index) / rows, (double) (table + index) / values,
        (double) table / values, (double) index / values);
  }

  static void timeQueries(Vertx vertx, String what, HistoryQuery q) throws Exception {
    long[] ms = new long[30];
    int points = 0;
    String resolution = null;
    for (int i = -5; i < ms.length; i++) {
      long t = System.nanoTime();
      JsonObject r = vertx.eventBus().<JsonObject>request(Addresses.HISTORY_QUERY, q.toJson())
          .map(m -> m.body()).await(60, TimeUnit.SECONDS);
      if (i >= 0) {
        ms[i] = (System.nanoTime() - t) / 1_000;
      }
      points = r.getJsonArray("points").size();
      resolution = r.getString("resolution") + ", step " + r.getInteger("step_s") + " s";
    }
    Arrays.sort(ms);
    System.out.printf("query %s: %d points (%s); over %d runs median %.1f ms, p90 %.1f ms, max %.1f ms%n", what,
        points, resolution, ms.length, ms[ms.length / 2] / 1e3, ms[ms.length * 9 / 10] / 1e3, ms[ms.length - 1] / 1e3);
  }

  static long count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
