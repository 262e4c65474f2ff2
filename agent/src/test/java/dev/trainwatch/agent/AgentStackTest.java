package dev.trainwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainwatch.agent.send.SnapshotPayload;
import dev.trainwatch.agent.spool.Spool;
import dev.trainwatch.agent.spool.SpoolRecord;
import dev.trainwatch.launcher.LauncherAccess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against the real embedded stack (Postgres, ingest, rates, history, gateway), as an
 * operator runs them: {@code --once} checks, then long-running agents in their own JVMs through a
 * server outage, a SIGKILL and a torn spool file. What "arrived" means is read back from Postgres.
 */
@ExtendWith(VertxExtension.class)
class AgentStackTest {
  private static final long WAIT_MS = 90_000;

  @TempDir static Path dataDir;
  @TempDir Path work;
  static JsonObject config;
  static int port;
  static AutoCloseable stack;

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // fixed for the class: the outage tests restart the stack on the
      // same port
    }
    config = LauncherAccess.config(dataDir, port);
    stack = LauncherAccess.start(config);
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  private static String host() {
    return "http://127.0.0.1:" + port;
  }

  /** One row of the {@code snapshots} view. Null figures are absent (no rate). */
  record Row(long seq, String ts, Double cpuUtil, Double intervalS) {}

  private static List<Row> stored(String slug) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                LauncherAccess.jdbcUrl(dataDir), "postgres", LauncherAccess.pgPassword(dataDir));
        var st =
            c.prepareStatement(
                "select seq, ts::text, cpu_util, interval_s from snapshots where server = ? "
                    + "order by seq")) {
      st.setString(1, slug);
      List<Row> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new Row(rs.getLong(1), rs.getString(2), nullable(rs, 3), nullable(rs, 4)));
        }
      }
      return out;
    }
  }

  private static Double nullable(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  private static List<Long> seqs(List<Row> rows) {
    return rows.stream().map(Row::seq).toList();
  }

  /** The agent's {@code --once} in this JVM; its exit code, with what it printed. */
  private static OnceCapture once(String... args) {
    List<String> a = new ArrayList<>(List.of("--once", "--timeout", "5"));
    a.addAll(List.of(args));
    return OnceCapture.run(a.toArray(String[]::new));
  }

  /**
   * A whole disk this machine has (the agent's explicit list accepts any block device the kernel
   * counts).
   */
  private static String someDisk() throws Exception {
    try (Stream<String> lines = Files.lines(Path.of("/proc/diskstats"))) {
      return lines
          .map(l -> l.trim().split("\\s+")[2])
          .filter(n -> Files.exists(Path.of("/sys/block", n)))
          .findFirst()
          .orElseThrow();
    }
  }

  @Test
  void onceIsStoredWithItsLabelsAndOnlyTheChosenDisk(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    String token = LauncherAccess.register(config, "once-box", false, null);
    String disk = someDisk();
    OnceCapture r =
        once(
            "--host",
            host(),
            "--server-slug",
            "once-box",
            "--token",
            " " + token + "\n",
            "--label",
            "rack=r7",
            "--label",
            "role=trainer",
            "--disks",
            disk,
            "--hostname",
            "gpu-box-7");
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("2 snapshots sent").contains("202 accepted 2, duplicates 0");
    WebClient http = WebClient.create(vertx);
    http.get(port, "127.0.0.1", "/api/metrics/latest/")
        .addQueryParam("server", "once-box")
        .bearerTokenAuthentication(LauncherAccess.readerToken(config))
        .send()
        .onComplete(
            ctx.succeeding(
                resp ->
                    ctx.verify(
                        () -> {
                          assertThat(resp.statusCode()).isEqualTo(200);
                          JsonObject latest = resp.bodyAsJsonObject();
                          JsonObject agent = latest.getJsonObject("agent");
                          assertThat(agent.getJsonObject("labels").getMap())
                              .containsOnly(Map.entry("rack", "r7"), Map.entry("role", "trainer"));
                          assertThat(agent.getString("hostname")).isEqualTo("gpu-box-7");
                          assertThat(agent.getString("version")).isEqualTo(AgentVersion.get());
                          JsonArray disks = latest.getJsonObject("disk").getJsonArray("disks");
                          assertThat(disks).hasSize(1);
                          assertThat(disks.getJsonObject(0).getString("name")).isEqualTo(disk);
                          // The second sample has rates against the first: --once's reason for
                          // sampling twice.
                          assertThat(latest.getJsonObject("cpu").getDouble("utilization"))
                              .isBetween(0.0, 100.0);
                          assertThat(stored("once-box")).hasSize(2);
                          ctx.completeNow();
                        })));
  }

  @Test
  void environmentVariablesStandInForTheOptions(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    String token = LauncherAccess.register(config, "env-box", false, null);
    String disk = someDisk();
    AgentProcess p =
        AgentProcess.start(
            work.resolve("env.log"),
            Map.of(
                "AI_DASHBOARD_HOST",
                host(),
                "AI_DASHBOARD_SERVER_SLUG",
                "env-box",
                "AI_DASHBOARD_TOKEN",
                token,
                "AI_DASHBOARD_DISKS",
                disk,
                "AI_DASHBOARD_LABELS",
                "rack=r9,role=eval",
                "AI_DASHBOARD_LOG_LEVEL",
                "WARNING"),
            "--once");
    int code = p.exitCode(60);
    ctx.verify(
        () -> {
          assertThat(code).as(p.log()).isZero();
          assertThat(p.log()).contains("2 snapshots sent").doesNotContain(" INFO ");
        });
    WebClient.create(vertx)
        .get(port, "127.0.0.1", "/api/metrics/latest/")
        .addQueryParam("server", "env-box")
        .bearerTokenAuthentication(LauncherAccess.readerToken(config))
        .send()
        .onComplete(
            ctx.succeeding(
                resp ->
                    ctx.verify(
                        () -> {
                          JsonObject latest = resp.bodyAsJsonObject();
                          assertThat(latest.getJsonObject("agent").getJsonObject("labels").getMap())
                              .containsOnly(Map.entry("rack", "r9"), Map.entry("role", "eval"));
                          assertThat(
                                  latest
                                      .getJsonObject("disk")
                                      .getJsonArray("disks")
                                      .getJsonObject(0)
                                      .getString("name"))
                              .isEqualTo(disk);
                          ctx.completeNow();
                        })));
  }

  @Test
  void onceNamesEachProblemWithItsOwnCode(VertxTestContext ctx) throws Exception {
    String token = LauncherAccess.register(config, "codes-box", false, null);
    LauncherAccess.register(config, "off-box", false, null);
    String offToken = LauncherAccess.register(config, "off-box", true, false);
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    OnceCapture wrongToken =
        once("--host", host(), "--server-slug", "codes-box", "--token", token + "x");
    OnceCapture disabled = once("--host", host(), "--server-slug", "off-box", "--token", offToken);
    OnceCapture unknown = once("--host", host(), "--server-slug", "no-such-box", "--token", token);
    OnceCapture refused =
        once(
            "--host",
            "http://127.0.0.1:" + closedPort,
            "--server-slug",
            "codes-box",
            "--token",
            token);
    OnceCapture usage = once("--host", "ftp://x", "--server-slug", "codes-box", "--token", token);
    ctx.verify(
        () -> {
          assertThat(wrongToken.code()).as(wrongToken.out()).isEqualTo(3);
          assertThat(wrongToken.out()).contains("HTTP 401").contains("--rotate-token");
          assertThat(disabled.code()).as(disabled.out()).isEqualTo(4);
          assertThat(disabled.out()).contains("HTTP 403").contains("--enable");
          assertThat(unknown.code()).as(unknown.out()).isEqualTo(5);
          assertThat(unknown.out()).contains("HTTP 404").contains("list-servers");
          assertThat(refused.code()).as(refused.out()).isEqualTo(7);
          assertThat(refused.out()).contains("Connection refused");
          assertThat(usage.code()).isEqualTo(2);
          assertThat(usage.out()).contains("--host must be http(s)");
          assertThat(stored("codes-box")).isEmpty();
          assertThat(stored("off-box")).isEmpty();
        });
    ctx.completeNow();
  }

  private AgentProcess agent(String slug, String token, Path spool, String name) throws Exception {
    return AgentProcess.start(
        work.resolve(name + ".log"),
        "--host",
        host(),
        "--server-slug",
        slug,
        "--token",
        token,
        "--interval",
        "0.5",
        "--max-backoff",
        "1",
        "--spool-dir",
        spool.toString(),
        "--log-level",
        "DEBUG");
  }

  private static void restartStack() throws Exception {
    stack = LauncherAccess.start(config);
  }

  private static void stopStack() throws Exception {
    stack.close();
    stack = null;
  }

  @Test
  void twentySamplesSpooledDuringAnOutageArriveInOrderOnceWithRates(
      Vertx vertx, VertxTestContext ctx) throws Exception {
    String token = LauncherAccess.register(config, "outage-box", false, null);
    Path spool = work.resolve("spool");
    try (AgentProcess a = agent("outage-box", token, spool, "outage")) {
      Poll.until(
              vertx,
              WAIT_MS,
              () -> "3 stored samples; agent log:\n" + a.log(),
              () -> stored("outage-box").size() >= 3)
          .await(WAIT_MS + 5_000, TimeUnit.MILLISECONDS);
      stopStack();
      int before = a.spooled().size();
      Poll.until(
              vertx,
              WAIT_MS,
              () -> "20 samples spooled while the server is down",
              () -> a.spooled().size() >= before + 21)
          .await(WAIT_MS + 5_000, TimeUnit.MILLISECONDS);
      List<Long> during = a.spooled().subList(before, before + 20);
      restartStack();
      Poll.until(
              vertx,
              WAIT_MS,
              () -> "the 20 spooled samples stored; agent log:\n" + a.log(),
              () -> seqs(stored("outage-box")).containsAll(during))
          .await(WAIT_MS + 5_000, TimeUnit.MILLISECONDS);
      List<Row> rows = stored("outage-box");
      ctx.verify(
          () -> {
            List<Long> all = seqs(rows);
            assertThat(new HashSet<>(all)).as("stored once").hasSameSizeAs(all);
            // Nothing lost: from the first stored sample on, every seq the agent produced is there.
            for (int i = 1; i < all.size(); i++) {
              assertThat(all.get(i))
                  .as("seq after %d", all.get(i - 1))
                  .isEqualTo(all.get(i - 1) + 1);
            }
            List<Row> outage = rows.stream().filter(r -> during.contains(r.seq())).toList();
            assertThat(outage).hasSize(20);
            for (int i = 0; i < outage.size(); i++) {
              Row r = outage.get(i);
              if (i > 0) {
                assertThat(r.ts()).as("ts in seq order").isGreaterThan(outage.get(i - 1).ts());
              }
              // Rates against its predecessor, the first one included (the anchor gave the
              // restarted rates service
              // the last sample stored before the outage): every one was derived in order.
              assertThat(r.cpuUtil()).as("cpu rate of seq %d", r.seq()).isNotNull();
              assertThat(r.intervalS())
                  .as("interval of seq %d", r.seq())
                  .isCloseTo(0.5, within(0.25));
            }
            assertThat(a.log()).contains("Cannot deliver to").contains("Delivering again");
          });
      assertThat(a.terminate()).isIn(0, 143);
    }
    ctx.completeNow();
  }

  @Test
  void anAgentKilledDuringAnOutageResumesFromItsSpoolAndLosesNothing(
      Vertx vertx, VertxTestContext ctx) throws Exception {
    String token = LauncherAccess.register(config, "kill-box", false, null);
    Path spool = work.resolve("spool");
    List<Long> firstRun;
    try (AgentProcess a = agent("kill-box", token, spool, "first")) {
      Poll.until(
              vertx,
              WAIT_MS,
              () -> "2 stored samples; agent log:\n" + a.log(),
              () -> stored("kill-box").size() >= 2)
          .await(WAIT_MS + 5_000, TimeUnit.MILLISECONDS);
      stopStack();
      int before = a.spooled().size();
      Poll.until(
              vertx,
              WAIT_MS,
              () -> "8 samples spooled during the outage",
              () -> a.spooled().size() >= before + 8)
          .await(WAIT_MS + 5_000, TimeUnit.MILLISECONDS);
      a.kill();
      firstRun = a.spooled();
    }
    try (AgentProcess b = agent("kill-box", token, spool, "second")) {
      Poll.until(
              vertx,
              WAIT_MS,
              () -> "the restarted agent spooling; its log:\n" + b.log(),
              () -> b.spooled().size() >= 6)
          .await(WAIT_MS + 5_000, TimeUnit.MILLISECONDS);
      restartStack();
      Poll.until(
              vertx,
              WAIT_MS,
              () -> "both runs' samples stored; log:\n" + b.log(),
              () ->
                  seqs(stored("kill-box")).containsAll(firstRun)
                      && seqs(stored("kill-box")).containsAll(b.spooled().subList(0, 6)))
          .await(WAIT_MS + 5_000, TimeUnit.MILLISECONDS);
      List<Row> rows = stored("kill-box");
      List<Long> secondRun = b.spooled();
      ctx.verify(
          () -> {
            List<Long> all = seqs(rows);
            assertThat(new HashSet<>(all)).as("stored once").hasSameSizeAs(all);
            // A restarted agent numbers on above everything it spooled before, so nothing replayed
            // looks like a repeat.
            assertThat(secondRun.get(0)).isGreaterThan(firstRun.get(firstRun.size() - 1));
            // Each run's samples are all there, in an unbroken run of seqs.
            for (List<Long> run : List.of(firstRun, secondRun.subList(0, 6))) {
              long first = run.get(0);
              long last = run.get(run.size() - 1);
              assertThat(all.stream().filter(s -> s >= first && s <= last).toList())
                  .isEqualTo(LongStream.rangeClosed(first, last).boxed().toList());
            }
            // Rates for every sample but the first of the second run (it follows a gap of a JVM
            // start).
            for (Row r : rows) {
              if (r.seq() != secondRun.get(0) && r.seq() != all.get(0)) {
                assertThat(r.cpuUtil()).as("cpu rate of seq %d", r.seq()).isNotNull();
              }
            }
          });
    }
    ctx.completeNow();
  }

  private static long seqOf(SpoolRecord r) throws Exception {
    return new JsonObject(Buffer.buffer(new SnapshotPayload().json(r.payload())))
        .getJsonObject("agent")
        .getLong("seq");
  }

  @Test
  void aSpoolFileTornInARecordIsReportedAndTheRestIsSent(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    String token = LauncherAccess.register(config, "torn-box", false, null);
    Path spool = work.resolve("spool");
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    List<Long> spooled;
    try (AgentProcess a =
        AgentProcess.start(
            work.resolve("offline.log"),
            "--host",
            "http://127.0.0.1:" + deadPort,
            "--server-slug",
            "torn-box",
            "--token",
            token,
            "--interval",
            "0.5",
            "--spool-dir",
            spool.toString(),
            "--log-level",
            "DEBUG")) {
      Poll.until(vertx, WAIT_MS, () -> "6 samples spooled", () -> a.spooled().size() >= 6)
          .await(WAIT_MS + 5_000, TimeUnit.MILLISECONDS);
      a.kill();
      spooled = a.spooled();
    }
    // Cut the last record in the middle, as a power cut between the write and the disk would.
    SpoolRecord last;
    List<Long> intact = new ArrayList<>();
    try (Spool sp = Spool.open(spool, 64L << 20)) {
      List<SpoolRecord> records = sp.peek(1000);
      last = records.get(records.size() - 1);
      for (SpoolRecord r : records.subList(0, records.size() - 1)) {
        intact.add(seqOf(r));
      }
    }
    long lastSeq = seqOf(last);
    Path segment = spool.resolve(String.format("%020d.seg", last.segment()));
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.truncate(last.offset() + 20);
    }
    assertThat(intact).containsAll(spooled.subList(0, spooled.size() - 1));
    try (AgentProcess b = agent("torn-box", token, spool, "torn")) {
      Poll.until(
              vertx,
              WAIT_MS,
              () -> "the intact records stored; log:\n" + b.log(),
              () -> seqs(stored("torn-box")).containsAll(intact))
          .await(WAIT_MS + 5_000, TimeUnit.MILLISECONDS);
      ctx.verify(
          () -> {
            assertThat(b.log()).contains("is damaged at byte").contains("torn record");
            assertThat(seqs(stored("torn-box"))).doesNotContain(lastSeq);
            assertThat(b.alive()).isTrue();
          });
    }
    ctx.completeNow();
  }
}
