package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.owners.OwnerRing;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.bus.raw.RawSnapshot;
import dev.trainwatch.rates.ServerRates;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, as {@code scripts/run-cluster} runs it: the data directory's Postgres in a process of
 * its own ({@code trainwatch postgres}) and three nodes, each a separate JVM running ingest, rates,
 * history and the gateway on a Hazelcast bus. One agent posts through node 1 and node 2 alternately
 * and a WebSocket on node 3 sees the rates embedded mode computes; then the owner of the agent's
 * server is SIGKILLed under load, and nothing acknowledged is lost, ingest works again within 5 s,
 * and the new owner computes rates.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
  @TempDir static Path dir;
  static Path data;
  static NodeProcess postgres;
  static final List<NodeProcess> nodes = new ArrayList<>();
  static final int[] http = new int[3];
  static final String[] ratesNodes = new String[3];
  static String agentToken;
  static String readerToken;
  static String splitToken;
  static Vertx vertx;
  static WebClient web;
  static final CraftedHost host = new CraftedHost(Instant.now().minus(Duration.ofMinutes(30)));

  /** What embedded mode derives from the same snapshots, in the same order. */
  static final ServerRates embedded =
      new ServerRates("box", Duration.ofMillis(1000), Duration.ofMillis(10_000));

  @BeforeAll
  static void start() throws Exception {
    data = dir.resolve("data");
    Files.createDirectories(data);
    postgres =
        NodeProcess.start(
            dir.resolve("postgres.log"), "postgres", "--config", config(new JsonObject()));
    postgres.line(Pattern.compile("Postgres ready on"), 120);
    agentToken = Cli.run(data, "register-server", "box").trim();
    readerToken = Cli.run(data, "api-token", "create", "cluster-test", "--role", "reader").trim();
    splitToken = Cli.run(data, "register-server", "split").trim();
    int[] hz = Polling.freePorts(3);
    JsonArray members = new JsonArray();
    for (int p : hz) {
      members.add("127.0.0.1:" + p);
    }
    String name = "tw-cluster-" + UUID.randomUUID();
    for (int n = 0; n < 3; n++) {
      String cfg =
          config(
              new JsonObject()
                  .put("http", new JsonObject().put("port", 0))
                  .put(
                      "cluster",
                      new JsonObject()
                          .put("name", name)
                          .put("host", "127.0.0.1")
                          .put("port", hz[n])
                          .put("members", members)));
      nodes.add(
          NodeProcess.start(
              dir.resolve("node" + (n + 1) + ".log"),
              "run",
              "--cluster",
              "--role",
              "ingest,rates,history,gateway",
              "--config",
              cfg));
    }
    vertx = Vertx.vertx();
    web = WebClient.create(vertx);
    for (int n = 0; n < 3; n++) {
      http[n] = Integer.parseInt(nodes.get(n).line(NodeProcess.DASHBOARD, 240).group(1));
      ratesNodes[n] = nodes.get(n).line(NodeProcess.RATES_NODE, 60).group(1);
    }
    for (int n = 0; n < 3; n++) {
      int port = http[n];
      assertThat(
              until(
                  () ->
                      web.get(port, "127.0.0.1", "/metrics")
                          .bearerTokenAuthentication(readerToken)
                          .send()
                          .map(r -> r.bodyAsString().contains("trainwatch_rates_nodes 3.0")),
                  60))
          .as("node %d hears all three rates nodes", n + 1)
          .isTrue();
    }
  }

  static String config(JsonObject extra) throws Exception {
    return config(dir, data, extra);
  }

  /**
   * A node's config file in {@code dir}: {@code data} as data_dir, no GPU source, {@code extra}
   * merged over.
   */
  static String config(Path dir, Path data, JsonObject extra) throws Exception {
    Path f = Files.createTempFile(dir, "node", ".json");
    Files.writeString(
        f,
        new JsonObject()
            .put("data_dir", data.toString())
            .put("collector", new JsonObject().put("gpu", new JsonObject().put("enabled", false)))
            .mergeIn(extra)
            .encode());
    return f.toString();
  }

  @AfterAll
  static void stop() throws Exception {
    stopLoad.tryComplete();
    NodeProcess.stopAll(dir, vertx, nodes, postgres);
  }

  /** The next snapshot, and what embedded mode derives from it. */
  static JsonObject next(Map<String, JsonObject> expected) {
    host.diskBusyPercent = (host.diskBusyPercent * 7 + 13) % 97; // a different rate each step
    JsonObject s = host.next(Duration.ofSeconds(1));
    RawSample sample = new RawSample("box", "127.0.0.1", RawSnapshot.fromJson(s));
    expected.put(s.getString("ts"), embedded.accept(sample).toJson());
    embedded.stored(sample);
    return s;
  }

  static Future<Integer> post(int node, JsonObject snapshot) {
    return web.post(http[node], "127.0.0.1", "/api/ingest/servers/box/metrics/")
        .putHeader("content-type", "application/json")
        .putHeader("x-monitoring-token", agentToken)
        .sendBuffer(snapshot.toBuffer())
        .map(r -> r.statusCode())
        .recover(e -> Future.succeededFuture(-1));
  }

  /** A socket on {@code node} subscribed to box's CPU and disk; frames by their ts. */
  static Map<String, JsonObject> watch(int node) throws Exception {
    Map<String, JsonObject> frames = new ConcurrentHashMap<>();
    WebSocket ws =
        vertx
            .createWebSocketClient()
            .connect(TestCredentials.ws(http[node], readerToken))
            .await(10, TimeUnit.SECONDS);
    ws.textMessageHandler(
        text -> {
          JsonObject m = new JsonObject(text);
          if ("box".equals(m.getString("server")) && m.getString("ts") != null) {
            frames
                .computeIfAbsent(m.getString("ts"), t -> new JsonObject())
                .put(m.getString("channel"), m.getJsonObject("data"));
          }
        });
    ws.writeTextMessage(
            new JsonObject()
                .put("op", "subscribe")
                .put("server", "box")
                .put("channels", new JsonArray().add("system/cpu").add("system/disk"))
                .encode())
        .await(10, TimeUnit.SECONDS);
    return frames;
  }

  @Test
  @Order(1)
  void ratesAreExactWhateverNodeTheSamplesArriveThrough() throws Exception {
    Map<String, JsonObject> frames = watch(2);
    Map<String, JsonObject> expected = new LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      assertThat(post(i % 2, next(expected)).await(20, TimeUnit.SECONDS))
          .as("snapshot %d through node %d", i, i % 2 + 1)
          .isEqualTo(202);
    }
    assertThat(
            until(
                () ->
                    Future.succeededFuture(
                        expected.keySet().stream()
                            .allMatch(
                                ts ->
                                    frames.containsKey(ts)
                                        && frames.get(ts).containsKey("system/disk"))),
                30))
        .isTrue();
    for (var e : expected.entrySet()) {
      JsonObject got = frames.get(e.getKey());
      assertThat(got.getJsonObject("system/cpu"))
          .as("cpu at " + e.getKey())
          .isEqualTo(e.getValue().getJsonObject("cpu"));
      assertThat(got.getJsonObject("system/disk"))
          .as("disk at " + e.getKey())
          .isEqualTo(e.getValue().getJsonObject("disk"));
    }
    // Rates, not just gauges: every sample after the first had a usable interval.
    assertThat(expected.values().stream().skip(1))
        .allMatch(
            d ->
                d.getJsonObject("disk")
                    .getJsonArray("disks")
                    .getJsonObject(0)
                    .containsKey("utilization"));
  }

  @Test
  @Order(2)
  void theOwnersDeathLosesNothingAcknowledgedAndAnotherNodeTakesOver() throws Exception {
    int owner = List.of(ratesNodes).indexOf(OwnerRing.of(List.of(ratesNodes)).owner("box"));
    List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
    survivors.remove(Integer.valueOf(owner));
    Map<String, JsonObject> frames = watch(survivors.get(0));
    Set<Long> acked = ConcurrentHashMap.newKeySet();
    Map<String, JsonObject> expected = new ConcurrentHashMap<>();
    // Steady load, as an agent delivers: one snapshot every 100 ms, resent (to the next node) until
    // a 202.
    long[] killedAt = {0};
    long[] firstAfterKill = {0};
    List<Integer> targets = new CopyOnWriteArrayList<>(List.of(0, 1, 2));
    Promise<Void> loadDone = Promise.promise();
    vertx.runOnContext(
        v ->
            deliver(
                next(expected), 0, targets, acked, killedAt, firstAfterKill, stopLoad, loadDone));
    assertThat(until(() -> Future.succeededFuture(acked.size() >= 10), 30)).isTrue();
    nodes.get(owner).kill();
    killedAt[0] = System.nanoTime();
    targets.remove(Integer.valueOf(owner));
    assertThat(until(() -> Future.succeededFuture(firstAfterKill[0] != 0), 30))
        .as("ingest works again")
        .isTrue();
    double seconds = (firstAfterKill[0] - killedAt[0]) / 1e9;
    System.out.printf(
        "cluster takeover: first 202 through a survivor %.2f s after the SIGKILL%n", seconds);
    assertThat(seconds)
        .as("seconds from the SIGKILL to the next acknowledged snapshot")
        .isLessThanOrEqualTo(5.0);
    // The new owner computes rates again: a disk utilization for a snapshot acknowledged after the
    // kill.
    assertThat(
            until(
                () ->
                    Future.succeededFuture(
                        ackedAfterKill.stream()
                            .map(frames::get)
                            .anyMatch(
                                f ->
                                    f != null
                                        && f.containsKey("system/disk")
                                        && f.getJsonObject("system/disk")
                                            .getJsonArray("disks")
                                            .getJsonObject(0)
                                            .containsKey("utilization"))),
                30))
        .as("rates from the new owner")
        .isTrue();
    stopLoad.complete();
    loadDone.future().await(30, TimeUnit.SECONDS);
    assertThat(storedSeqs("box"))
        .as("every acknowledged snapshot is in Postgres")
        .containsAll(acked);
  }

  /**
   * Every role in a process of its own (history alone, rates alone, ingest alone on its own
   * listener), on a bus of their own beside the same Postgres: each decodes what the others send it
   * (the record codecs are registered per Vert.x instance, whatever the roles), and the
   * history-only node stores what the rates-only node derives.
   */
  @Test
  @Order(3)
  void eachRoleAloneDecodesWhatTheOthersSend() throws Exception {
    int[] hz = Polling.freePorts(3);
    JsonArray members = new JsonArray();
    for (int p : hz) {
      members.add("127.0.0.1:" + p);
    }
    String name = "tw-split-" + UUID.randomUUID();
    List<String> roles = List.of("history", "rates", "ingest");
    List<NodeProcess> split = new ArrayList<>();
    try {
      for (int n = 0; n < 3; n++) {
        String cfg =
            config(
                new JsonObject()
                    .put("http", new JsonObject().put("port", 0))
                    .put(
                        "cluster",
                        new JsonObject()
                            .put("name", name)
                            .put("host", "127.0.0.1")
                            .put("port", hz[n])
                            .put("members", members)));
        split.add(
            NodeProcess.start(
                dir.resolve("split-" + roles.get(n) + ".log"),
                "run",
                "--cluster",
                "--role",
                roles.get(n),
                "--config",
                cfg));
      }
      split.get(0).line(Pattern.compile("HistoryVerticle - schema at version"), 240);
      split.get(1).line(NodeProcess.RATES_NODE, 240);
      int ingest =
          Integer.parseInt(
              split
                  .get(2)
                  .line(Pattern.compile("Agents send to: http://[^:]+:(\\d+)/"), 240)
                  .group(1));
      CraftedHost other = new CraftedHost(Instant.now().minus(Duration.ofMinutes(20)));
      Set<Long> sent = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        JsonObject snapshot = other.next(Duration.ofSeconds(1));
        sent.add(snapshot.getJsonObject("agent").getLong("seq"));
        // Until the ingest node has heard of a rates node (a 503 before that), as an agent retries.
        assertThat(
                until(
                    () ->
                        web.post(ingest, "127.0.0.1", "/api/ingest/servers/split/metrics/")
                            .putHeader("content-type", "application/json")
                            .putHeader("x-monitoring-token", splitToken)
                            .sendBuffer(snapshot.toBuffer())
                            .map(r -> r.statusCode() == 202),
                    60))
            .isTrue();
      }
      assertThat(storedSeqs("split")).isEqualTo(sent);
    } finally {
      for (NodeProcess n : split) {
        n.close();
      }
    }
  }

  static final Promise<Void> stopLoad = Promise.promise();
  static final Set<String> ackedAfterKill = ConcurrentHashMap.newKeySet();

  /** One snapshot to one node after another until a 202, then the next snapshot 100 ms later. */
  private static void deliver(
      JsonObject snapshot,
      int attempt,
      List<Integer> targets,
      Set<Long> acked,
      long[] killedAt,
      long[] firstAfterKill,
      Promise<Void> stop,
      Promise<Void> done) {
    if (stop.future().isComplete()) {
      done.tryComplete();
      return;
    }
    int node = targets.get(attempt % targets.size());
    long sentAt = System.nanoTime();
    post(node, snapshot)
        .onComplete(
            ar -> {
              boolean ok = ar.succeeded() && ar.result() == 202;
              if (ok) {
                acked.add(snapshot.getJsonObject("agent").getLong("seq"));
                if (killedAt[0] != 0 && sentAt > killedAt[0]) {
                  ackedAfterKill.add(snapshot.getString("ts"));
                  if (firstAfterKill[0] == 0) {
                    firstAfterKill[0] = System.nanoTime();
                  }
                }
              }
              vertx.setTimer(
                  100,
                  t ->
                      deliver(
                          ok ? next(new ConcurrentHashMap<>()) : snapshot,
                          attempt + 1,
                          targets,
                          acked,
                          killedAt,
                          firstAfterKill,
                          stop,
                          done));
            });
  }

  static Set<Long> storedSeqs(String server) throws Exception {
    int port = AdminDb.runningPort(data.resolve("pg"));
    Set<Long> out = new HashSet<>();
    try (var c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "postgres",
                EmbeddedPg.password(data, false));
        var rs =
            c.createStatement()
                .executeQuery("SELECT seq FROM snapshots WHERE server = '" + server + "'")) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  static boolean until(Supplier<Future<Boolean>> ask, int seconds) throws Exception {
    return Polling.until(vertx, ask, seconds);
  }
}
