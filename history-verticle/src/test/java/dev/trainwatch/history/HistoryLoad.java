package dev.trainwatch.history;

import com.sun.management.OperatingSystemMXBean;
import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.HistoryQuery;
import dev.trainwatch.bus.RecordCodec;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.history.query.HistoryQueries;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The issue's numbers, end to end against an embedded Postgres 17: sustained writes through the
 * verticle (bus → batch → unnest insert, acknowledged after commit), bytes per stored value, then,
 * with the table grown to {@code total} rows by copying the written ones to later days in SQL, 1 h
 * raw and 30 d hourly query latency.
 *
 * <pre>
 * mvn -o -q -pl history-verticle test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp "$(cat cp.txt):history-verticle/target/classes:history-verticle/target/test-classes" \
 *   dev.trainwatch.history.HistoryLoad [written=500000] [servers=50] [total=5000000] [data-dir]
 * </pre>
 *
 * <p>With a {@code data-dir}, Postgres keeps its data there (port 54329 unless {@code
 * -Dload.port}), and a later run on the same directory skips the write phase, the growth and the
 * hourly fixture when they are already done, so the queries can be measured again in a minute
 * instead of rebuilding 5 M rows. {@code -Dload.writes=true} forces the write phase (on new
 * servers, {@code w<run>-*}, so nothing is a duplicate); {@code -Dload.queries=false} skips the
 * query phase; {@code -Dload.runs=N} sets the timed runs per query (30). {@code -Dload.json=true}
 * sends JSON bodies instead of records; {@code -Dload.threads=true} prints CPU per thread; {@code
 * -Dload.explain=true} prints both queries' plans; {@code -Dload.parallelism=N} sets {@code
 * query_parallelism}. Every figure also gives the CPU time of the JVM and of Postgres's processes,
 * which a busy shared machine distorts less than wall-clock time.
 */
public final class HistoryLoad {
  static final Instant T0 = Instant.parse("2026-09-01T00:00:00Z");
  static final boolean JSON_BODIES = Boolean.getBoolean("load.json");

  public static void main(String[] args) throws Exception {
    int written = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    int servers = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    long total = args.length > 2 ? Long.parseLong(args[2]) : 5_000_000L;
    File dir = args.length > 3 ? new File(args[3]) : null;
    boolean reuse = dir != null && new File(dir, "PG_VERSION").exists();
    EmbeddedPostgres.Builder b = EmbeddedPostgres.builder();
    if (dir != null) {
      dir.mkdirs();
      b.setDataDirectory(dir)
          .setCleanDataDirectory(false)
          .setPort(Integer.getInteger("load.port", 54329));
    }
    try (EmbeddedPostgres pg = b.start()) {
      pgDir = dir;
      Vertx vertx = Vertx.vertx();
      RecordCodec.registerAll(vertx);
      HistoryVerticle history = new HistoryVerticle();
      JsonObject cfg =
          new JsonObject()
              .put("pg_url", "postgresql://postgres@127.0.0.1:" + pg.getPort() + "/postgres")
              .put("maintenance_ms", 86_400_000L);
      if (Integer.getInteger("load.parallelism") != null) {
        cfg.put("query_parallelism", Integer.getInteger("load.parallelism"));
      }
      vertx
          .deployVerticle(history, new DeploymentOptions().setConfig(cfg))
          .await(60, TimeUnit.SECONDS);
      int perServer = written / servers;
      long have = 0;
      if (reuse) {
        try (Connection c = pg.getPostgresDatabase().getConnection();
            Statement st = c.createStatement()) {
          have = count(st, "SELECT count(*) FROM samples");
        }
        System.out.printf("reusing %s: %d rows in samples%n", dir, have);
      }
      boolean forceWrites = Boolean.getBoolean("load.writes");
      if (have == 0 || forceWrites) {
        String prefix = have == 0 ? "node" : "w" + (System.currentTimeMillis() / 1000 % 100000);
        // Warm-up (JIT, prepared statements), on a server the measurements do not use.
        writeAll(vertx, 1, 20_000, have == 0 ? "warm" : prefix + "warm")
            .await(120, TimeUnit.SECONDS);
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long pg0 = postgresCpuNanos();
        long cpu0 = os.getProcessCpuTime();
        Map<String, Long> threads0 = threadCpu(null, 0);
        long start = System.nanoTime();
        writeAll(vertx, servers, perServer, prefix).await(3600, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - start) / 1e9;
        long n = (long) servers * perServer;
        System.out.printf(
            "writes: %d snapshots (%d servers × %d) in %.1f s = %.0f snapshots/s (acknowledged after"
                + " commit, %s); CPU per 1,000 snapshots: JVM %.1f ms, Postgres %.1f ms%n",
            n,
            servers,
            perServer,
            secs,
            n / secs,
            JSON_BODIES ? "JSON bodies" : "records",
            (os.getProcessCpuTime() - cpu0) / 1e3 / n,
            (postgresCpuNanos() - pg0) / 1e3 / n);
        if (Boolean.getBoolean("load.threads")) {
          threadCpu(threads0, (int) (n / 1000));
        }
        if (have > 0) {
          try (Connection c = pg.getPostgresDatabase().getConnection();
              Statement st = c.createStatement()) {
            // Keep the reused table as it was: the extra rows would only skew later storage
            // figures.
            st.execute(
                "DELETE FROM samples WHERE sid IN (SELECT id FROM servers WHERE slug LIKE '"
                    + prefix
                    + "%')");
            st.execute(
                "DELETE FROM dirty_hours WHERE sid IN (SELECT id FROM servers WHERE slug LIKE '"
                    + prefix
                    + "%')");
            st.execute("VACUUM ANALYZE samples");
          }
        }
      }
      if (have == 0)
        try (Connection c = pg.getPostgresDatabase().getConnection();
            Statement st = c.createStatement()) {
          st.execute(
              "DELETE FROM samples WHERE sid = (SELECT id FROM servers WHERE slug = 'warm-0')");
          st.execute("VACUUM ANALYZE samples");
          bytesPerValue(st);
          grow(st, total);
          st.execute("VACUUM ANALYZE samples");
          bytesPerValue(st);
        }
      if (!Boolean.parseBoolean(System.getProperty("load.queries", "true"))) {
        vertx.close().await(30, TimeUnit.SECONDS);
        return;
      }
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement st = c.createStatement()) {
        System.out.printf("samples: %d rows%n", count(st, "SELECT count(*) FROM samples"));
        if (Boolean.getBoolean("load.explain")) {
          explain(st, HistoryQueries.RAW, T0.plusSeconds(1800), T0.plusSeconds(5400));
          explain(st, HistoryQueries.HOURLY, T0, T0.plus(Duration.ofDays(30)));
        }
      }
      Instant from = T0.plusSeconds(1800);
      timeQueries(
          vertx,
          "1 h raw, one server",
          new HistoryQuery("node-7", from, from.plusSeconds(3600), null));
      if (have == 0) {
        long t = System.nanoTime();
        int hours =
            history.downsampleNow(T0.plus(Duration.ofDays(1))).await(3600, TimeUnit.SECONDS);
        System.out.printf(
            "downsampling: %d server-hours in %.1f s = %.1f ms per server-hour (%d samples each)%n",
            hours,
            (System.nanoTime() - t) / 1e9,
            (System.nanoTime() - t) / 1e6 / hours,
            Math.min(3600, perServer));
        try (Connection c = pg.getPostgresDatabase().getConnection();
            Statement st = c.createStatement()) {
          // 30 days of hourly rows for node-7: its first aggregated hour, repeated.
          st.execute(
              """
            INSERT INTO samples_hourly SELECT sid, hour + k * interval '1 hour', samples, gaps, bn, h, m, c, gs, gf, d, n
            FROM samples_hourly, generate_series(1, 24 * 31) k
            WHERE sid = (SELECT id FROM servers WHERE slug = 'node-7') AND hour = '2026-09-01T00:00:00Z'
            ON CONFLICT DO NOTHING""");
          st.execute("VACUUM ANALYZE samples_hourly");
        }
      }
      timeQueries(
          vertx,
          "30 d hourly, one server",
          new HistoryQuery("node-7", T0, T0.plus(Duration.ofDays(30)), null));
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * {@code perServer} snapshots for each server at 1 Hz, at most 4,000 unacknowledged (ingest's 503
   * is 20,000).
   */
  static Future<Void> writeAll(Vertx vertx, int servers, int perServer, String prefix) {
    Promise<Void> done = Promise.promise();
    long n = (long) servers * perServer;
    AtomicLong next = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    vertx.runOnContext(
        v -> {
          for (int i = 0; i < 4000 && i < n; i++) {
            send(vertx, servers, prefix, next, acked, n, done);
          }
        });
    return done.future();
  }

  private static void send(
      Vertx vertx,
      int servers,
      String prefix,
      AtomicLong next,
      AtomicLong acked,
      long n,
      Promise<Void> done) {
    long i = next.getAndIncrement();
    if (i >= n) {
      return;
    }
    long seq = i / servers;
    String server = prefix + "-" + (i % servers);
    double load = 50 + 40 * Math.sin(seq / 300.0 + i % servers);
    DerivedSnapshot snap = Snapshots.node(server, seq, T0.plusSeconds(seq), load);
    // As rates-verticle sends it in one JVM: the record itself (RecordCodec); -Dload.json=true
    // sends JSON instead,
    // as a sender on another cluster node would.
    Object body = JSON_BODIES ? snap.toJson() : snap;
    vertx
        .eventBus()
        .request(Addresses.HISTORY_STORE, body)
        .onComplete(
            ar -> {
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
      st.execute(
          "INSERT INTO samples SELECT ts + interval '"
              + k
              + " day', seq, boot, sid, gap, bn, h, m, c, gs, gf,"
              + " d, n FROM samples WHERE ts < '2026-09-02'");
    }
    System.out.printf(
        "grown to %d rows by SQL copies in %.0f s%n",
        count(st, "SELECT count(*) FROM samples"), (System.nanoTime() - t) / 1e9);
  }

  static void bytesPerValue(Statement st) throws Exception {
    long rows = count(st, "SELECT count(*) FROM samples");
    // Every stored figure: array elements except the GPU index (an identity, not a measurement),
    // plus gap and label.
    long values =
        count(
            st,
            "SELECT sum(cardinality(h) + cardinality(m) + cardinality(c) + cardinality(gs)"
                + " - cardinality(gs) / 9 + cardinality(gf) + cardinality(d) + cardinality(n) + 2) FROM samples");
    long table =
        count(
            st,
            "SELECT sum(pg_table_size(inhrelid)) FROM pg_inherits"
                + " WHERE inhparent = 'samples'::regclass");
    long index =
        count(
            st,
            "SELECT sum(pg_indexes_size(inhrelid)) FROM pg_inherits"
                + " WHERE inhparent = 'samples'::regclass");
    System.out.printf(
        "storage: %d rows, %d values (%.1f per row); table %.1f MiB + indexes %.1f MiB"
            + " = %.1f bytes/row, %.2f bytes/value (table %.2f + index %.2f)%n",
        rows,
        values,
        (double) values / rows,
        table / 1048576.0,
        index / 1048576.0,
        (double) (table + index) / rows,
        (double) (table + index) / values,
        (double) table / values,
        (double) index / values);
  }

  static void timeQueries(Vertx vertx, String what, HistoryQuery q) throws Exception {
    long[] ms = new long[Integer.getInteger("load.runs", 30)];
    int points = 0;
    String resolution = null;
    long jvmCpu = 0;
    long pgCpu = 0;
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Map<String, Long> threads0 = null;
    for (int i = -5; i < ms.length; i++) {
      if (i == 0) {
        threads0 = threadCpu(null, 0);
      }
      long pg0 = postgresCpuNanos();
      long cpu0 = os.getProcessCpuTime();
      long t = System.nanoTime();
      // Timed up to the reply as the gateway gets it (the encoded document; a JsonObject before the
      // Buffer reply).
      Object body =
          vertx
              .eventBus()
              .<Object>request(Addresses.HISTORY_QUERY, q.toJson())
              .map(m -> m.body())
              .await(60, TimeUnit.SECONDS);
      if (i >= 0) {
        ms[i] = (System.nanoTime() - t) / 1_000;
        jvmCpu += os.getProcessCpuTime() - cpu0;
        pgCpu += postgresCpuNanos() - pg0;
      }
      if (i == ms.length - 1) { // parsed once: 4 MB of JSON per run would load the same JVM
        JsonObject r = body instanceof JsonObject j ? j : new JsonObject((Buffer) body);
        points = r.getJsonArray("points").size();
        resolution = r.getString("resolution") + ", step " + r.getInteger("step_s") + " s";
      }
    }
    if (Boolean.getBoolean("load.threads")) {
      threadCpu(threads0, ms.length);
    }
    Arrays.sort(ms);
    System.out.printf(
        "query %s: %d points (%s); over %d runs median %.1f ms, p90 %.1f ms, max %.1f ms;"
            + " CPU per query: JVM %.1f ms, Postgres %.1f ms%n",
        what,
        points,
        resolution,
        ms.length,
        ms[ms.length / 2] / 1e3,
        ms[ms.length * 9 / 10] / 1e3,
        ms[ms.length - 1] / 1e3,
        jvmCpu / 1e6 / ms.length,
        pgCpu / 1e6 / ms.length);
  }

  /**
   * CPU time per thread of this JVM, GC and JIT threads included (from /proc/self/task, by thread
   * name less its number); with {@code before}, prints the difference per {@code runs} of the
   * busiest ones.
   */
  static Map<String, Long> threadCpu(Map<String, Long> before, int runs) {
    Map<String, Long> now = new HashMap<>();
    File[] tasks = new File("/proc/self/task").listFiles();
    for (File t : tasks == null ? new File[0] : tasks) {
      try {
        String name =
            Files.readString(new File(t, "comm").toPath()).trim().replaceAll("[0-9]+$", "#");
        String stat = Files.readString(new File(t, "stat").toPath());
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        now.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L, Long::sum);
      } catch (Exception gone) {
        // thread ended meanwhile
      }
    }
    if (before != null) {
      now.entrySet().stream()
          .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
          .filter(e -> e.getValue() > 0)
          .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
          .limit(8)
          .forEach(
              e ->
                  System.out.printf(
                      "  thread %s: %.1f ms per unit%n", e.getKey(), e.getValue() / 1e6 / runs));
    }
    return now;
  }

  /** The embedded Postgres's data directory, to find its processes' CPU time; set in main. */
  static File pgDir;

  /**
   * CPU time of the embedded Postgres's processes (the postmaster's children, from /proc), so
   * figures can be compared on a machine whose other users make wall-clock times noisy. 0 where
   * /proc is not there.
   */
  static long postgresCpuNanos() {
    try {
      long postmaster =
          Long.parseLong(
              Files.readAllLines(new File(pgDir, "postmaster.pid").toPath()).get(0).trim());
      long ticks = 0;
      File[] procs = new File("/proc").listFiles((d, n) -> n.chars().allMatch(Character::isDigit));
      for (File p : procs == null ? new File[0] : procs) {
        try {
          String stat = Files.readString(new File(p, "stat").toPath());
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(f[1]) == postmaster || Long.parseLong(p.getName()) == postmaster) {
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (Exception gone) {
          // exited meanwhile
        }
      }
      return ticks * 10_000_000L; // USER_HZ = 100
    } catch (Exception e) {
      return 0;
    }
  }

  /** The plan and timing of one query, with its parameters inlined (server node-7). */
  static void explain(Statement st, String sql, Instant from, Instant to) throws Exception {
    String q =
        sql.replace("$1", "'node-7'")
            .replace("$2", "'" + from + "'::timestamptz")
            .replace("$3", "'" + to + "'::timestamptz");
    for (int i = 0; i < 3; i++) {
      try (ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, BUFFERS, SERIALIZE BINARY) " + q)) {
        while (i == 2 && rs.next()) {
          System.out.println("  " + rs.getString(1));
        }
      }
    }
  }

  static long count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
