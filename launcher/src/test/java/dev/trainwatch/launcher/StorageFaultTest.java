package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Json;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, storage faults, through the real ingest endpoint of a whole stack on its own Postgres:
 * stopped, frozen (every Postgres process stopped with SIGSTOP, as a hung disk or a paused VM
 * leaves it) and frozen postmaster only. Every answer comes within 2 s, a 503 with Retry-After
 * while nothing can commit; the sender, like the agent, keeps what was not acknowledged and resends
 * it oldest first. Postgres comes back without Trainwatch being touched, and then every snapshot is
 * stored exactly once, with its rates.
 */
class StorageFaultTest {
  private static final String SLUG = "fault-box";
  private static final long ANSWER_WITHIN_MS = 2_000;

  @TempDir Path dataDir;
  @TempDir Path pgDir;
  EmbeddedPostgres pg;
  final List<Long> frozen = new ArrayList<>();

  private EmbeddedPostgres startPg(int port) throws Exception {
    return EmbeddedPostgres.builder()
        .setDataDirectory(pgDir.toFile())
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  @AfterEach
  void cleanUp() throws Exception {
    signal("CONT", frozen);
    if (pg != null) {
      pg.close();
    }
  }

  /**
   * The sender: the agent's delivery rules (keep until 202, resend oldest first) without its
   * timing.
   */
  final class Agent {
    final WebClient http;
    final int port;
    final String token;
    final Instant t0 = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
    final Deque<Long> pending = new ArrayDeque<>();
    final Set<Long> acked = new HashSet<>();
    long next = 1;
    long slowestMs;
    int unavailable;

    Agent(WebClient http, int port, String token) {
      this.http = http;
      this.port = port;
      this.token = token;
    }

    /** Samples once and sends the oldest unacknowledged snapshot; returns the status. */
    int tick() throws Exception {
      pending.add(next++);
      return send();
    }

    int send() throws Exception {
      long seq = pending.peek();
      long t = System.nanoTime();
      HttpResponse<?> r =
          http.post(port, "127.0.0.1", "/api/ingest/servers/" + SLUG + "/metrics/")
              .putHeader("content-type", "application/json")
              .putHeader("x-monitoring-token", token)
              .sendBuffer(LatestAfterRestartTest.snapshot(t0.plusSeconds(seq), seq).toBuffer())
              .await(30, TimeUnit.SECONDS);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
      slowestMs = Math.max(slowestMs, ms);
      assertThat(r.statusCode()).as("seq %d: %s", seq, r.bodyAsString()).isIn(202, 503);
      assertThat(ms)
          .as("answer time of seq %d (status %d)", seq, r.statusCode())
          .isLessThan(ANSWER_WITHIN_MS);
      if (r.statusCode() == 202) {
        acked.add(pending.poll());
      } else {
        assertThat(r.getHeader("retry-after")).isNotNull();
        unavailable++;
      }
      return r.statusCode();
    }

    /**
     * Resends until nothing is pending, as the agent does once the server is back; bounded in time.
     */
    void drain(long withinMs) throws Exception {
      long end = System.currentTimeMillis() + withinMs;
      while (!pending.isEmpty() && System.currentTimeMillis() < end) {
        send();
      }
      assertThat(pending).as("still unacknowledged after %d ms", withinMs).isEmpty();
    }
  }

  @Test
  void stoppedAndFrozenPostgresGet503sFastAndLoseNothing() throws Exception {
    pg = startPg(0);
    int pgPort = pg.getPort();
    JsonObject config =
        ConfigLoader.load(
            null,
            Map.of(
                "TRAINWATCH_DATA_DIR",
                dataDir.toString(),
                "TRAINWATCH_HTTP_PORT",
                "0",
                "TRAINWATCH_PG_URL",
                "postgresql://postgres@127.0.0.1:" + pgPort + "/postgres",
                "TRAINWATCH_HISTORY_WRITE_STUCK_MS",
                "3000"));
    Vertx vertx = Vertx.vertx();
    try (RunCommand.Running stack =
        RunCommand.Running.start(
            config, EnumSet.of(Role.INGEST, Role.RATES, Role.HISTORY, Role.GATEWAY), false)) {
      WebClient http = WebClient.create(vertx);
      String admin = TestCredentials.apiToken(stack.vertx(), "admin");
      String token =
          TestCredentials.client(vertx, admin)
              .post(stack.httpPort(), "127.0.0.1", "/api/servers")
              .sendJsonObject(new JsonObject().put("slug", SLUG))
              .await(10, TimeUnit.SECONDS)
              .bodyAsJsonObject()
              .getString("token");
      Agent agent = new Agent(http, stack.httpPort(), token);
      BlockingQueue<JsonObject> live = follow(vertx, stack.httpPort(), admin);
      for (int i = 0; i < 3; i++) {
        assertThat(agent.tick()).isEqualTo(202);
      }

      // Stopped: connections refused.
      pg.close();
      pg = null;
      int before = agent.unavailable;
      for (int i = 0; i < 3; i++) {
        assertThat(agent.tick()).isEqualTo(503);
      }
      // Live frames do not wait for the commit (issue 17): the first refused sample was shown, then
      // marked. Its
      // resends are not shown again until storage takes them.
      String refused = Json.ts(agent.t0.plusSeconds(4));
      JsonObject frame;
      List<String> seen = new ArrayList<>();
      do {
        frame = live.poll(5, TimeUnit.SECONDS);
        assertThat(frame).as("an unstored mark for seq 4 within 5 s, after %s", seen).isNotNull();
        seen.add(frame.getString("event") + " " + frame.getString("ts"));
      } while (!frame.getString("event").equals("unstored"));
      assertThat(frame.getString("ts")).isEqualTo(refused);
      assertThat(frame.getJsonObject("data").getLong("seq")).isEqualTo(4L);
      assertThat(frame.getJsonObject("data").getString("code")).isEqualTo("unavailable");
      assertThat(seen).as("shown live before it was refused").contains("metrics " + refused);
      pg = startPg(pgPort);
      agent.drain(30_000);
      assertThat(agent.unavailable - before).isGreaterThanOrEqualTo(3);

      // Frozen, every process: connections open, nothing answers, for longer than write_stuck_ms.
      double abandonedBefore = abandoned();
      freeze(true);
      long frozenAt = System.nanoTime();
      before = agent.unavailable;
      while (System.nanoTime() - frozenAt < TimeUnit.SECONDS.toNanos(5)) {
        assertThat(agent.tick()).isEqualTo(503);
        long t = System.nanoTime();
        int ui =
            http.get(stack.httpPort(), "127.0.0.1", "/")
                .send()
                .await(5, TimeUnit.SECONDS)
                .statusCode();
        // The dashboard is served meanwhile: no event loop waits on Postgres.
        assertThat(ui).isLessThan(500);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t)).isLessThan(500);
      }
      assertThat(abandoned())
          .as("the hung transaction was given up")
          .isGreaterThan(abandonedBefore);
      signal("CONT", frozen);
      frozen.clear();
      agent.drain(30_000);

      // Frozen postmaster only: sessions already open keep working, new ones wait; answers still
      // come in time.
      freeze(false);
      for (int i = 0; i < 3; i++) {
        agent.tick();
      }
      signal("CONT", frozen);
      frozen.clear();
      agent.drain(30_000);

      List<Long> stored = storedSeqs(pgPort);
      assertThat(stored).as("each snapshot stored once").doesNotHaveDuplicates();
      assertThat(new HashSet<>(stored)).isEqualTo(agent.acked);
      assertThat(agent.acked).hasSize((int) (agent.next - 1));
      assertThat(withoutCpuRate(pgPort))
          .as("stored without rates (only the first has no predecessor)")
          .containsExactly(1L);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A dashboard's socket on the server's CPU channel: every frame, in order. */
  private static BlockingQueue<JsonObject> follow(Vertx vertx, int port, String token)
      throws Exception {
    BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    WebSocket ws =
        vertx
            .createWebSocketClient()
            .connect(TestCredentials.ws(port, token))
            .await(10, TimeUnit.SECONDS);
    ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
    ws.writeTextMessage(
        new JsonObject()
            .put("op", "subscribe")
            .put("server", SLUG)
            .put("channels", new JsonArray().add("system/cpu"))
            .encode());
    JsonObject ack = frames.poll(10, TimeUnit.SECONDS);
    assertThat(ack).isNotNull();
    assertThat(ack.getString("event")).isEqualTo("subscribed");
    return frames;
  }

  private static double abandoned() {
    var c = Metrics.globalRegistry.find("trainwatch.history.write.abandoned").functionCounter();
    return c == null ? 0 : c.count();
  }

  /** SIGSTOP to the postmaster and, with {@code all}, to every process it started. */
  private void freeze(boolean all) throws Exception {
    long postmaster =
        Long.parseLong(Files.readAllLines(pgDir.resolve("postmaster.pid")).get(0).trim());
    List<Long> pids = new ArrayList<>(List.of(postmaster));
    if (all) {
      ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> pids.add(p.pid()));
    }
    frozen.addAll(pids);
    signal("STOP", pids);
  }

  private static void signal(String sig, List<Long> pids) throws Exception {
    if (pids.isEmpty()) {
      return;
    }
    List<String> cmd =
        Stream.concat(Stream.of("kill", "-" + sig), pids.stream().map(String::valueOf)).toList();
    assertThat(new ProcessBuilder(cmd).inheritIO().start().waitFor()).isZero();
  }

  private static List<Long> storedSeqs(int port) throws Exception {
    return longs(
        port,
        "select s.seq from samples s join servers v on v.id = s.sid where v.slug = '" + SLUG + "'");
  }

  private static List<Long> withoutCpuRate(int port) throws Exception {
    return longs(
        port,
        "select s.seq from samples s join servers v on v.id = s.sid where v.slug = '"
            + SLUG
            + "' and s.h[2] = 'NaN'::real order by s.seq");
  }

  private static List<Long> longs(int port, String sql) throws Exception {
    List<Long> out = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", null);
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }
}
