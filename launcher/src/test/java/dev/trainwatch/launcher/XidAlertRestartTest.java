package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.collector.gpu.nvml.FakeNvml;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: an XID from the (fake, C) NVML driver, read by the real JNA binding in the local
 * collector, becomes one critical alert; it is still listed, still firing and still the same alert
 * after the server restarts, until someone acknowledges it.
 */
class XidAlertRestartTest {
  @TempDir Path dataDir;

  JsonObject config(Path nvml) {
    return ConfigLoader.load(
        null,
        Map.of(
            "TRAINWATCH_DATA_DIR",
            dataDir.toString(),
            "TRAINWATCH_HTTP_PORT",
            "0",
            "TRAINWATCH_COLLECTOR_GPU_NVML_LIBRARY",
            nvml.toString()));
  }

  static JsonArray xidAlerts(Vertx vertx, RunCommand.Running stack, String token) throws Exception {
    var r =
        TestCredentials.client(vertx, token)
            .get(stack.httpPort(), "127.0.0.1", "/api/alerts")
            .addQueryParam("server", "local")
            .send()
            .await(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonArray out = new JsonArray();
    r.bodyAsJsonObject()
        .getJsonArray("alerts")
        .forEach(
            a -> {
              if ("gpu-xid".equals(((JsonObject) a).getString("rule"))) {
                out.add(a);
              }
            });
    return out;
  }

  @Test
  void anXidAlertOutlivesARestartUntilAcknowledged() throws Exception {
    // The driver reports XID 79 on GPU 1 as soon as the collector registers for events, once per
    // process.
    Path nvml =
        FakeNvml.scenario(
            "alert-xid",
            FakeNvml.Variant.FULL,
            FakeNvml.resource("two-gpus.scenario") + "xid 1 79\n");
    Vertx vertx = Vertx.vertx();
    try {
      String id;
      try (RunCommand.Running first =
          RunCommand.Running.start(config(nvml), Role.expand(EnumSet.of(Role.ALL)), false)) {
        String user = TestCredentials.apiToken(first.vertx(), "user");
        try (AlertFrames frames = AlertFrames.open(vertx, first.httpPort(), user)) {
          // The XID arrives with the first sample, which can be judged before this socket has
          // subscribed: what was stored before the subscription is in the list, anything later
          // comes as a frame.
          JsonArray before = xidAlerts(vertx, first, user);
          JsonObject fired =
              before.isEmpty() || !"firing".equals(before.getJsonObject(0).getString("state"))
                  ? frames.await(AlertFrames.is("local", "gpu-xid", "firing"))
                  : before.getJsonObject(0);
          assertThat(fired.getInteger("gpu_index")).isEqualTo(1);
          assertThat(fired.getString("severity")).isEqualTo("critical");
          assertThat(fired.getDouble("value")).isEqualTo(79.0);
          id = fired.getString("id");
        }
        JsonArray listed = xidAlerts(vertx, first, user);
        assertThat(listed.size()).isEqualTo(1);
      }
      try (RunCommand.Running second =
          RunCommand.Running.start(config(nvml), Role.expand(EnumSet.of(Role.ALL)), false)) {
        String user = TestCredentials.apiToken(second.vertx(), "user");
        try (AlertFrames frames = AlertFrames.open(vertx, second.httpPort(), user)) {
          // Still the one alert, still firing: the new evaluator loaded it rather than forgetting
          // or firing it again.
          JsonArray listed = xidAlerts(vertx, second, user);
          assertThat(listed.size()).isEqualTo(1);
          assertThat(listed.getJsonObject(0).getString("id")).isEqualTo(id);
          assertThat(listed.getJsonObject(0).getString("state")).isEqualTo("firing");
          var acked =
              TestCredentials.client(vertx, user)
                  .post(second.httpPort(), "127.0.0.1", "/api/alerts/" + id + "/ack/")
                  .send()
                  .await(10, TimeUnit.SECONDS);
          assertThat(acked.statusCode()).as(acked.bodyAsString()).isEqualTo(200);
          JsonObject resolved =
              frames.await(
                  a -> id.equals(a.getString("id")) && "resolved".equals(a.getString("state")));
          assertThat(resolved.getString("acknowledged_by")).isNotBlank();
          assertThat(frames.all())
              .as("the restarted evaluator opened no second XID alert")
              .filteredOn(a -> "gpu-xid".equals(a.getString("rule")))
              .allMatch(a -> id.equals(a.getString("id")));
          // A second acknowledgement changes nothing and says who was first.
          var again =
              TestCredentials.client(vertx, user)
                  .post(second.httpPort(), "127.0.0.1", "/api/alerts/" + id + "/ack")
                  .send()
                  .await(10, TimeUnit.SECONDS);
          assertThat(again.bodyAsJsonObject().getString("acknowledged_at"))
              .isEqualTo(resolved.getString("acknowledged_at"));
        }
        assertThat(xidAlerts(vertx, second, user).getJsonObject(0).getString("state"))
            .isEqualTo("resolved");
        var history =
            TestCredentials.client(vertx, user)
                .get(second.httpPort(), "127.0.0.1", "/api/xid-events")
                .addQueryParam("server", "local")
                .send()
                .await(10, TimeUnit.SECONDS)
                .bodyAsJsonObject();
        assertThat(history.getJsonArray("xid_events").getJsonObject(0).getInteger("gpu_index"))
            .isEqualTo(1);
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
