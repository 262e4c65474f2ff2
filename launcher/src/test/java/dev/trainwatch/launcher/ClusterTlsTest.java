package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.gateway.auth.Sessions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: the event bus is mutual TLS against the cluster's own CA ({@code
 * scripts/cluster-certs}). Two nodes with certificates from it form the cluster; a node configured
 * with another CA's certificate does not join it; and a process that joins Hazelcast anyway (it
 * knows the keyed cluster name) with a foreign certificate, and registers a consumer for the token
 * check, is ignored by every node of ours: it is never handed a message, and no request is routed
 * to it (an agent with a wrong token gets 401, never a 503 from a failed route).
 */
class ClusterTlsTest {
  @TempDir static Path dir;
  static Path data;
  static Path certs;
  static NodeProcess postgres;
  static final List<NodeProcess> nodes = new ArrayList<>();
  static final int[] http = new int[3];
  static int[] hz;
  static String name;
  static String readerToken;
  static Vertx vertx;
  static WebClient web;

  @BeforeAll
  static void start() throws Exception {
    data = dir.resolve("data");
    certs = dir.resolve("certs");
    Files.createDirectories(data);
    certs(certs.resolve("ours"), "n1", "n2");
    certs(certs.resolve("theirs"), "rogue");
    postgres =
        NodeProcess.start(
            dir.resolve("postgres.log"),
            "postgres",
            "--config",
            ClusterTest.config(dir, data, new JsonObject()));
    postgres.line(Pattern.compile("Postgres ready on"), 120);
    Cli.run(data, "register-server", "tls-box");
    readerToken = Cli.run(data, "api-token", "create", "tls-test", "--role", "reader").trim();
    hz = Polling.freePorts(3);
    name = "tw-tls-" + UUID.randomUUID();
    String[][] who = {{"ours", "n1"}, {"ours", "n2"}, {"theirs", "rogue"}};
    for (int n = 0; n < 3; n++) {
      Path ca = certs.resolve(who[n][0]);
      nodes.add(
          NodeProcess.start(
              dir.resolve(who[n][1] + ".log"),
              "run",
              "--cluster",
              "--role",
              "ingest,rates,history,gateway",
              "--config",
              ClusterTest.config(
                  dir,
                  data,
                  new JsonObject()
                      .put("http", new JsonObject().put("port", 0))
                      .put("cluster", cluster(hz[n], ca, who[n][1])))));
    }
    vertx = Vertx.vertx();
    web = WebClient.create(vertx);
    for (int n = 0; n < 3; n++) {
      http[n] = Integer.parseInt(nodes.get(n).line(NodeProcess.DASHBOARD, 240).group(1));
    }
  }

  static JsonObject cluster(int port, Path ca, String node) {
    JsonArray members = new JsonArray();
    for (int p : hz) {
      members.add("127.0.0.1:" + p);
    }
    return new JsonObject()
        .put("name", name)
        .put("host", "127.0.0.1")
        .put("port", port)
        .put("members", members)
        .put(
            "tls",
            new JsonObject()
                .put("cert", ca.resolve(node + ".pem").toString())
                .put("key", ca.resolve(node + ".key").toString())
                .put("ca", ca.resolve("ca.pem").toString()));
  }

  /** The operator's way: scripts/cluster-certs, openssl underneath. */
  static void certs(Path out, String... nodes) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of("..", "scripts", "cluster-certs").toAbsolutePath().toString(),
                out.toString()));
    cmd.addAll(List.of(nodes));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(output).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    NodeProcess.stopAll(dir, vertx, nodes, postgres);
  }

  static Future<String> metrics(int node) {
    return web.get(http[node], "127.0.0.1", "/metrics")
        .bearerTokenAuthentication(readerToken)
        .send()
        .map(r -> r.bodyAsString());
  }

  @Test
  void aNodeWithAnotherCasCertificateDoesNotJoinAndAnIntruderIsNeverHandedAMessage()
      throws Exception {
    // Ours hear each other over TLS; the rogue, its cluster name keyed by another CA, is a cluster
    // of one.
    for (int n = 0; n < 2; n++) {
      int node = n;
      assertThat(
              Polling.until(
                  vertx,
                  () -> metrics(node).map(m -> m.contains("trainwatch_rates_nodes 2.0")),
                  60))
          .as("node %d hears the other", n + 1)
          .isTrue();
    }
    assertThat(
            Polling.until(
                vertx, () -> metrics(2).map(m -> m.contains("trainwatch_rates_nodes 1.0")), 60))
        .isTrue();
    assertThat(nodes.get(0).output()).doesNotContain("Members {size:3");

    // An intruder that joins Hazelcast under our keyed name, with a foreign certificate, and
    // answers every token
    // check with "ok".
    AtomicInteger handed = new AtomicInteger();
    Vertx rogue =
        ClusterSetup.join(
            cluster(Polling.freePorts(1)[0], certs.resolve("theirs"), "rogue"),
            name + "-" + ClusterSetup.caDigest(certs.resolve("ours").resolve("ca.pem").toString()),
            Vertx.builder());
    try {
      rogue
          .eventBus()
          .consumer(
              Addresses.REGISTRY_AUTH,
              m -> {
                handed.incrementAndGet();
                m.reply(new JsonObject().put("slug", "tls-box").put("outcome", "ok"));
              })
          .completion()
          .await(10, TimeUnit.SECONDS);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int status =
            web.post(http[i % 2], "127.0.0.1", "/api/ingest/servers/tls-box/metrics/")
                .putHeader("content-type", "application/json")
                .putHeader("x-monitoring-token", "tw_00000000_wrong" + i)
                .sendBuffer(
                    new CraftedHost(Instant.now().minusSeconds(60))
                        .next(Duration.ofSeconds(1))
                        .toBuffer())
                .await(60, TimeUnit.SECONDS)
                .statusCode();
        statuses.add(status);
      }
      // Every check is answered by one of ours: the intruder's consumer is not in any node's view
      // (its credential is from another CA), so none is routed to it and none fails for it.
      assertThat(statuses).as("statuses").containsOnly(401);
      assertThat(handed.get()).as("messages the intruder was handed").isZero();
      for (int n = 0; n < 2; n++) {
        nodes
            .get(n)
            .line(
                Pattern.compile(
                    "is not in this cluster's trust \\(certificate not signed by the cluster's CA\\)"),
                30);
        int node = n;
        assertThat(
                Polling.until(
                    vertx,
                    () ->
                        metrics(node)
                            .map(m -> m.contains("trainwatch_cluster_untrusted_nodes 1.0")),
                    30))
            .as("node %d counts the intruder as untrusted", n + 1)
            .isTrue();
      }
      sessionsCannotBeReadOutOfTheClusterMaps(rogue);
    } finally {
      rogue.close().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * The intruder is a Hazelcast member, so it holds and can read the cluster's maps: the sessions
   * map must not hand it anything a browser could present.
   */
  private void sessionsCannotBeReadOutOfTheClusterMaps(Vertx rogue) throws Exception {
    String printed = Cli.run(data, "login-url").trim();
    String token = printed.substring(printed.indexOf("token=") + 6);
    var signIn =
        web.get(http[0], "127.0.0.1", "/login?token=" + token)
            .followRedirects(false)
            .send()
            .await(30, TimeUnit.SECONDS);
    assertThat(signIn.statusCode()).as("the link signs in on node 1").isEqualTo(303);
    String cookie =
        signIn.cookies().stream()
            .filter(c -> c.startsWith("tw_session="))
            .map(c -> c.substring(11).split(";")[0])
            .findFirst()
            .orElseThrow();
    Set<String> keys =
        rogue
            .sharedData()
            .<String, Object>getAsyncMap("trainwatch.sessions")
            .compose(m -> m.keys())
            .await(30, TimeUnit.SECONDS);
    assertThat(keys).as("what the intruder reads").contains(Sessions.key(cookie));
    assertThat(keys).doesNotContain(cookie);
    // The other node knows the session by its cookie (both nodes seal with the key history
    // keeps), and nobody by what the map holds.
    assertThat(me(1, cookie)).isEqualTo(200);
    for (String k : keys) {
      assertThat(me(1, k)).as("a key presented as a cookie").isEqualTo(401);
    }

    // It can write the map too: our admin session copied under a cookie of its choosing, and the
    // same with the person changed. Neither carries a seal made for that key with our key.
    AsyncMap<String, Object> sessions =
        rogue
            .sharedData()
            .<String, Object>getAsyncMap("trainwatch.sessions")
            .await(30, TimeUnit.SECONDS);
    JsonObject ours = (JsonObject) sessions.get(Sessions.key(cookie)).await(30, TimeUnit.SECONDS);
    sessions.put(Sessions.key("rogue-copy"), ours).await(30, TimeUnit.SECONDS);
    JsonObject altered = ours.copy();
    altered.getJsonObject("principal").put("id", "rogue").put("name", "Rogue");
    sessions.put(Sessions.key("rogue-made"), altered).await(30, TimeUnit.SECONDS);
    assertThat(me(0, "rogue-copy")).as("a copied session").isEqualTo(401);
    assertThat(me(1, "rogue-made")).as("a made-up session").isEqualTo(401);
    assertThat(me(0, cookie)).as("ours still works").isEqualTo(200);
    nodes.get(0).line(Pattern.compile("does not carry our seal and is ignored"), 30);
  }

  private int me(int node, String cookie) throws Exception {
    return web.get(http[node], "127.0.0.1", "/api/me")
        .putHeader("cookie", "tw_session=" + cookie)
        .send()
        .await(30, TimeUnit.SECONDS)
        .statusCode();
  }
}
