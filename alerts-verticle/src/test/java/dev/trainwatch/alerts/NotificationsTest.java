package dev.trainwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.trainwatch.alerts.notify.Signature;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: notifications reach a real local HTTP receiver (which checks the signature) and a real
 * SMTP server (GreenMail) exactly once per state change; a failing receiver is retried, then
 * dead-lettered; a flapping rule notifies at most once per interval.
 */
class NotificationsTest {
  static final String SECRET = "s3cret-s3cret-s3cret";
  static AlertsStack stack;
  static GreenMail smtp;
  static HttpServer receiver;

  /**
   * Bodies that arrived with a valid signature; a bad one fails the test through {@link #forged}.
   */
  static final List<JsonObject> received = new CopyOnWriteArrayList<>();

  static final AtomicInteger forged = new AtomicInteger();
  static final AtomicInteger failing = new AtomicInteger();
  static Promise<Void> nextPost = Promise.promise();

  @BeforeAll
  static void start() throws Exception {
    stack = new AlertsStack();
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    receiver =
        stack
            .vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              if (req.path().equals("/down")) {
                                failing.incrementAndGet();
                                req.response().setStatusCode(500).end();
                                return;
                              }
                              String expected = Signature.of(body.getBytes(), SECRET);
                              if (!expected.equals(req.getHeader(Signature.HEADER))) {
                                forged.incrementAndGet();
                                req.response().setStatusCode(401).end();
                                return;
                              }
                              JsonObject o = body.toJsonObject();
                              assertThat(req.getHeader("X-Trainwatch-Delivery"))
                                  .isEqualTo(o.getString("delivery"));
                              received.add(o);
                              req.response().setStatusCode(204).end();
                              Promise<Void> p = nextPost;
                              nextPost = Promise.promise();
                              p.tryComplete();
                            }))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    smtp.stop();
    stack.close();
  }

  JsonObject config(String path) {
    return new JsonObject()
        .put(
            "webhook",
            new JsonObject()
                .put("url", "http://127.0.0.1:" + receiver.actualPort() + path)
                .put("secret", SECRET))
        .put(
            "email",
            new JsonObject()
                .put("smtp_host", "127.0.0.1")
                .put("smtp_port", smtp.getSmtp().getPort())
                .put("starttls", "disabled")
                .put("from", "trainwatch@test")
                .put("to", new JsonArray().add("ops@example.com")));
  }

  List<JsonObject> receivedFor(String server) {
    return received.stream()
        .filter(o -> server.equals(o.getJsonObject("alert").getString("server")))
        .toList();
  }

  @Test
  void eachStateChangeIsDeliveredOnceByWebhookAndByMail() throws Exception {
    AlertsStack.Deployed d = stack.deploy(config("/hook"), true);
    try {
      int mailsBefore = smtp.getReceivedMessages().length;
      stack.derived(AlertsStack.xid("mail-box", 1, 79, Instant.now()));
      stack.until(() -> receivedFor("mail-box").size() == 1).await(30, TimeUnit.SECONDS);
      JsonObject firing = receivedFor("mail-box").get(0);
      assertThat(firing.getString("event")).isEqualTo("firing");
      assertThat(firing.getString("source")).isEqualTo("trainwatch");
      assertThat(firing.getString("group_key")).isEqualTo("gpu-xid|mail-box|0");
      assertThat(firing.getJsonObject("alert").getString("severity")).isEqualTo("critical");
      String id = firing.getJsonObject("alert").getString("id");
      assertThat(smtp.waitForIncomingEmail(10_000, mailsBefore + 1)).isTrue();

      JsonObject acked =
          stack.api(new JsonObject().put("op", "ack").put("id", id).put("by", "alice@example.com"));
      assertThat(acked.getJsonObject("alert").getString("state")).isEqualTo("resolved");
      stack.until(() -> receivedFor("mail-box").size() == 2).await(30, TimeUnit.SECONDS);
      JsonObject resolved = receivedFor("mail-box").get(1);
      assertThat(resolved.getString("event")).isEqualTo("resolved");
      assertThat(resolved.getJsonObject("alert").getString("acknowledged_by"))
          .isEqualTo("alice@example.com");
      assertThat(smtp.waitForIncomingEmail(10_000, mailsBefore + 2)).isTrue();

      // A marker after both: when its notification is in, anything duplicated before it would be
      // too.
      stack.derived(AlertsStack.xid("mail-box-2", 1, 48, Instant.now()));
      stack.until(() -> receivedFor("mail-box-2").size() == 1).await(30, TimeUnit.SECONDS);
      assertThat(receivedFor("mail-box")).hasSize(2);
      assertThat(smtp.waitForIncomingEmail(10_000, mailsBefore + 3)).isTrue();
      MimeMessage[] mails = smtp.getReceivedMessages();
      List<String> subjects = new ArrayList<>();
      for (MimeMessage m : mails) {
        subjects.add(m.getSubject());
      }
      assertThat(subjects.stream().filter(s -> s.contains("mail-box:")).toList())
          .containsExactly(
              "[FIRING critical] mail-box: GPU 0 XID 79: GPU has fallen off the bus: drain the node, then check power,"
                  + " cooling and the PCIe slot",
              "[RESOLVED critical] mail-box: GPU 0 XID 79: GPU has fallen off the bus: drain the node, then check power,"
                  + " cooling and the PCIe slot");
      assertThat(mails[0].getContent().toString())
          .contains("Server: mail-box")
          .contains("Alert id: " + id);
      assertThat(forged.get()).isZero();
    } finally {
      stack.vertx.undeploy(d.id()).await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFailingReceiverIsRetriedThenDeadLettered() throws Exception {
    AlertsStack.Deployed d = stack.deploy(config("/down").put("email", new JsonObject()), true);
    try {
      stack.derived(AlertsStack.xid("dead-box", 1, 95, Instant.now()));
      JsonObject dead =
          stack.apiUntil(
              new JsonObject().put("op", "dead_letters").put("limit", 10),
              r ->
                  r.getJsonArray("dead_letters").stream()
                      .anyMatch(x -> ((JsonObject) x).getString("payload").contains("dead-box")));
      JsonObject letter = dead.getJsonArray("dead_letters").getJsonObject(0);
      assertThat(letter.getString("channel")).isEqualTo("webhook");
      assertThat(letter.getInteger("attempts")).isEqualTo(3);
      assertThat(letter.getString("last_error")).isEqualTo("webhook answered HTTP 500");
      assertThat(failing.get()).isEqualTo(3);
      assertThat(new JsonObject(letter.getString("payload")).getString("event"))
          .isEqualTo("firing");
    } finally {
      stack.vertx.undeploy(d.id()).await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFlappingRuleNotifiesAtMostOncePerIntervalAndEndsWithTheTrueState() throws Exception {
    JsonObject flappy =
        new JsonObject()
            .put("name", "flappy")
            .put("metric", "gpu.temperature")
            .put("op", ">=")
            .put("threshold", 80);
    AlertsStack.Deployed d =
        stack.deploy(
            config("/hook")
                .put("email", new JsonObject())
                .put("builtin_rules", false)
                .put("rules", new JsonArray().add(flappy))
                .put("notify", new JsonObject().put("min_interval_s", 1)),
            true);
    try {
      Instant t = Instant.now();
      for (int i = 0; i < 10; i++) {
        stack.derived(
            AlertsStack.temperature("flap-box", i + 1, i % 2 == 0 ? 90 : 70, t.plusSeconds(i)));
      }
      // Ten samples: five episodes fired and resolved. The first firing goes out at once; the rest
      // fold into one
      // notification when the interval ends, telling the state at that moment: resolved (the last
      // sample is 70).
      stack.until(() -> receivedFor("flap-box").size() == 2).await(30, TimeUnit.SECONDS);
      List<JsonObject> got = receivedFor("flap-box");
      assertThat(got).extracting(o -> o.getString("event")).containsExactly("firing", "resolved");
      JsonObject marker = AlertsStack.temperature("flap-marker", 1, 95, Instant.now());
      stack.derived(marker);
      stack.until(() -> receivedFor("flap-marker").size() == 1).await(30, TimeUnit.SECONDS);
      assertThat(receivedFor("flap-box")).hasSize(2);
    } finally {
      stack.vertx.undeploy(d.id()).await(10, TimeUnit.SECONDS);
    }
  }
}
