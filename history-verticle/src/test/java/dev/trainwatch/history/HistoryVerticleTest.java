package dev.trainwatch.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.HistoryQuery;
import dev.trainwatch.bus.RecordCodec;
import dev.trainwatch.bus.derived.*;
import dev.trainwatch.history.layout.Layout;
import dev.trainwatch.history.query.Agg;
import dev.trainwatch.history.query.HistoryQueries;
import dev.trainwatch.history.query.Points;
import dev.trainwatch.history.query.PointsTest;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
    vertx
        .deployVerticle(new HistoryVerticle(), new DeploymentOptions().setConfig(cfg))
        .onComplete(ctx.succeedingThenComplete());
  }

  static DerivedSnapshot snap(String server, long seq, Instant ts, double cpu) {
    return new DerivedSnapshot(
        server,
        ts,
        "boot-a",
        seq,
        1.0,
        false,
        new AgentSeen("0.1.0", "host-" + server, Map.of("rack", "r1"), "10.0.0.7"),
        new CpuFigures(cpu, List.of(cpu, cpu), 2.0, 0.0, List.of(0.5, 0.4, 0.3)),
        new MemoryFigures(1000L, 4000L, 3000L, 0L, 100L, null, null),
        new DiskFigures(10.0, 20.0, List.of()),
        new NetworkFigures(1.0, 2.0, List.of()),
        List.of(),
        new GpuRollup(null, null, null, null),
        new Bottleneck("idle", List.of("idle: all quiet"), List.of()),
        List.of());
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

  @Test
  void storesOnceAndAcknowledgesDuplicates(Vertx vertx, VertxTestContext ctx) {
    var bus = vertx.eventBus();
    Instant t = Instant.parse("2026-11-22T06:00:00Z");
    JsonObject body = snap("alpha", 1, t, 40).toJson();
    bus.<JsonObject>request(Addresses.HISTORY_STORE, body)
        .compose(
            first -> {
              ctx.verify(() -> assertThat(first.body().getBoolean("duplicate")).isFalse());
              return bus.<JsonObject>request(Addresses.HISTORY_STORE, body);
            })
        .onComplete(
            ctx.succeeding(
                second ->
                    ctx.verify(
                        () -> {
                          assertThat(second.body().getBoolean("duplicate")).isTrue();
                          assertThat(rows("alpha")).isEqualTo(1);
                          ctx.completeNow();
                        })));
  }

  /**
   * CONTRACT.md §1 identifies a snapshot by (slug, boot_id, seq): sent again with another ts, in
   * another day's partition, or twice within one batch, it is still one row (issue 13; before V4
   * each ts made a row).
   */
  @Test
  void theSameBootAndSeqUnderAnotherTsIsADuplicate(Vertx vertx, VertxTestContext ctx) {
    var bus = vertx.eventBus();
    Instant t = Instant.parse("2026-11-22T23:59:59Z");
    bus.<JsonObject>request(Addresses.HISTORY_STORE, snap("delta", 7, t, 40).toJson())
        .compose(
            first -> {
              ctx.verify(() -> assertThat(first.body().getBoolean("duplicate")).isFalse());
              return bus.<JsonObject>request(
                  Addresses.HISTORY_STORE, snap("delta", 7, t.plusSeconds(3_600), 50).toJson());
            })
        .compose(
            nextDay -> {
              ctx.verify(() -> assertThat(nextDay.body().getBoolean("duplicate")).isTrue());
              // Sent together, so they share a batch: the first is stored, the second is its
              // duplicate.
              Future<Message<JsonObject>> a =
                  bus.request(
                      Addresses.HISTORY_STORE, snap("delta", 8, t.plusSeconds(1), 40).toJson());
              Future<Message<JsonObject>> b =
                  bus.request(
                      Addresses.HISTORY_STORE, snap("delta", 8, t.plusSeconds(7_200), 60).toJson());
              return Future.all(a, b).map(v -> List.of(a.result().body(), b.result().body()));
            })
        .onComplete(
            ctx.succeeding(
                pair ->
                    ctx.verify(
                        () -> {
                          assertThat(pair.get(0).getBoolean("duplicate")).isFalse();
                          assertThat(pair.get(1).getBoolean("duplicate")).isTrue();
                          assertThat(rows("delta")).isEqualTo(2);
                          ctx.completeNow();
                        })));
  }

  @Test
  void concurrentWritesAreBatchedAndAllCommitted(Vertx vertx, VertxTestContext ctx) {
    Instant t = Instant.parse("2026-11-22T07:00:00Z");
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(
          vertx
              .eventBus()
              .request(
                  Addresses.HISTORY_STORE, snap("beta", i, t.plusSeconds(i), i % 100).toJson()));
    }
    Future.all(all)
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(rows("beta")).isEqualTo(200);
                          ctx.completeNow();
                        })));
  }

  @Test
  void registryAndHistoryQueries(Vertx vertx, VertxTestContext ctx) {
    var bus = vertx.eventBus();
    Instant t = Instant.parse("2026-11-22T08:00:00Z");
    Future.all(
            List.of(
                bus.request(Addresses.HISTORY_STORE, snap("gamma", 1, t, 10).toJson()),
                bus.request(
                    Addresses.HISTORY_STORE, snap("gamma", 2, t.plusSeconds(1), 30).toJson()),
                bus.request(
                    Addresses.HISTORY_STORE, snap("gamma", 3, t.plusSeconds(10), 90).toJson())))
        .compose(v -> bus.<JsonObject>request(Addresses.SERVERS_LIST, new JsonObject()))
        .compose(
            list -> {
              ctx.verify(
                  () -> {
                    JsonObject g =
                        list.body().getJsonArray("servers").stream()
                            .map(JsonObject.class::cast)
                            .filter(s -> s.getString("slug").equals("gamma"))
                            .findFirst()
                            .orElseThrow();
                    assertThat(g.getString("hostname")).isEqualTo("host-gamma");
                    assertThat(g.getString("last_ip")).isEqualTo("10.0.0.7");
                    assertThat(g.getString("agent_version")).isEqualTo("0.1.0");
                    assertThat(g.getJsonObject("labels").getString("rack")).isEqualTo("r1");
                    assertThat(g.getString("status")).isEqualTo("online");
                  });
              return bus.<Buffer>request(
                  Addresses.HISTORY_QUERY,
                  new HistoryQuery("gamma", t, t.plusSeconds(20), 5).toJson());
            })
        .onComplete(
            ctx.succeeding(
                reply ->
                    ctx.verify(
                        () -> {
                          JsonObject h = new JsonObject(reply.body());
                          assertThat(h.getString("resolution")).isEqualTo("raw");
                          assertThat(h.getInteger("step_s")).isEqualTo(5);
                          JsonArray points = h.getJsonArray("points");
                          assertThat(points).hasSize(2);
                          JsonObject p0 = points.getJsonObject(0);
                          assertThat(p0.getString("ts")).isEqualTo("2026-11-22T08:00:00.000Z");
                          assertThat(p0.getLong("samples")).isEqualTo(2);
                          assertThat(p0.getJsonObject("cpu").getDouble("utilization"))
                              .isEqualTo(20.0);
                          assertThat(p0.getJsonObject("memory").getLong("ram_total"))
                              .isEqualTo(4000L);
                          assertThat(
                                  points
                                      .getJsonObject(1)
                                      .getJsonObject("cpu")
                                      .getDouble("utilization"))
                              .isEqualTo(90.0);
                          ctx.completeNow();
                        })));
  }

  @Test
  void rejectsAGarbageSnapshotWithoutStoringIt(Vertx vertx, VertxTestContext ctx) {
    JsonObject bad = snap("delta", 1, Instant.now(), 10).toJson().put("seq", "one");
    vertx
        .eventBus()
        .request(Addresses.HISTORY_STORE, bad)
        .onComplete(
            ctx.failing(
                e ->
                    ctx.verify(
                        () -> {
                          assertThat(FailureCode.of(e)).isEqualTo(FailureCode.INVALID_PAYLOAD);
                          assertThat(rows("delta")).isZero();
                          ctx.completeNow();
                        })));
  }

  @Test
  void stepIsChosenForAtMostAThousandPoints() {
    assertThat(HistoryQueries.stepFor(Duration.ofMinutes(10))).isEqualTo(1);
    assertThat(HistoryQueries.stepFor(Duration.ofHours(1))).isEqualTo(5);
    assertThat(HistoryQueries.stepFor(Duration.ofHours(24))).isEqualTo(120);
  }

  /**
   * The reply is the encoded document, and it is what the former code built: rows read back as
   * boxed arrays over JDBC, aggregated element by element and rendered as a JsonObject tree, give
   * the same bytes as the verticle's bytea parsing and streaming. Covers Postgres's real array_send
   * output, empty arrays and absent values included.
   */
  @Test
  void queryReplyIsTheEncodedDocumentTheJsonTreeWouldGive(Vertx vertx, VertxTestContext ctx) {
    RecordCodec.registerAll(vertx);
    List<DerivedSnapshot> snaps =
        PointsTest.fixture().stream()
            .map(
                s ->
                    new DerivedSnapshot(
                        "fx",
                        s.ts(),
                        s.bootId(),
                        s.seq(),
                        s.intervalS(),
                        s.gap(),
                        s.agent(),
                        s.cpu(),
                        s.memory(),
                        s.disk(),
                        s.network(),
                        s.gpus(),
                        s.gpuRollup(),
                        s.bottleneck(),
                        s.processes()))
            .toList();
    Instant from = PointsTest.T;
    Instant to = from.plusSeconds(40);
    // One at a time, in order: the device names kept are then those of the last snapshot, as the
    // tree is given.
    Future<?> stored = Future.succeededFuture();
    for (DerivedSnapshot s : snaps) {
      stored = stored.compose(v -> vertx.eventBus().request(Addresses.HISTORY_STORE, s));
    }
    stored
        .compose(
            v ->
                vertx
                    .eventBus()
                    .<Object>request(
                        Addresses.HISTORY_QUERY, new HistoryQuery("fx", from, to, 5).toJson()))
        .onComplete(
            ctx.succeeding(
                reply ->
                    ctx.verify(
                        () -> {
                          assertThat(reply.body()).isInstanceOf(Buffer.class);
                          String expected =
                              PointsTest.jsonTree(
                                      "fx", 5, "raw", from, to, boxedAggs(from, to, 5), names("fx"))
                                  .encode();
                          assertThat(reply.body().toString()).isEqualTo(expected);
                          ctx.completeNow();
                        })));
  }

  /**
   * The stored rows of server fx, aggregated the former way: boxed arrays, one element at a time.
   */
  private static List<Agg> boxedAggs(Instant from, Instant to, int step) throws Exception {
    List<Agg> out = new ArrayList<>();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT ts, gap, bn, h, m, c, gs, gf, d, n FROM samples"
                    + " WHERE sid = (SELECT id FROM servers WHERE slug = 'fx') AND ts >= ? AND ts < ? ORDER BY ts")) {
      st.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      st.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          long start = Math.floorDiv(rs.getTimestamp(1).toInstant().getEpochSecond(), step) * step;
          if (out.isEmpty() || out.get(out.size() - 1).start != start) {
            out.add(new Agg(start));
          }
          Layout.Encoded e =
              new Layout.Encoded(
                  floats(rs.getArray(4)),
                  longs(rs.getArray(5)),
                  shorts(rs.getArray(6)),
                  shorts(rs.getArray(7)),
                  floats(rs.getArray(8)),
                  floats(rs.getArray(9)),
                  floats(rs.getArray(10)));
          PointsTest.addRawBoxed(out.get(out.size() - 1), rs.getBoolean(2), rs.getString(3), e);
        }
      }
    }
    return out;
  }

  private static Points.Names names(String server) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT d.gpus::text, d.disks, d.nics FROM server_devices d"
                        + " JOIN servers s ON s.id = d.sid WHERE s.slug = '"
                        + server
                        + "'")) {
      rs.next();
      return new Points.Names(
          new JsonArray(rs.getString(1)),
          List.of((String[]) rs.getArray(2).getArray()),
          List.of((String[]) rs.getArray(3).getArray()));
    }
  }

  private static float[] floats(Array a) throws Exception {
    Float[] b = (Float[]) a.getArray();
    float[] out = new float[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i];
    }
    return out;
  }

  private static long[] longs(Array a) throws Exception {
    Long[] b = (Long[]) a.getArray();
    long[] out = new long[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i];
    }
    return out;
  }

  private static short[] shorts(Array a) throws Exception {
    Object[] b = (Object[]) a.getArray();
    short[] out = new short[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = ((Number) b[i]).shortValue();
    }
    return out;
  }
}
