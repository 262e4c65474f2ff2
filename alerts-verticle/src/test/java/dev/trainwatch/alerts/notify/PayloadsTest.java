package dev.trainwatch.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.alerts.Alert;
import dev.trainwatch.alerts.rules.Rule;
import dev.trainwatch.alerts.rules.Severity;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The notification formats of docs/alerts.md. */
class PayloadsTest {
  static final Instant T = Instant.parse("2026-12-04T10:15:01Z");
  static final Alert FIRING =
      new Alert(
          "9b2f",
          "gpu-xid",
          Severity.CRITICAL,
          "gpu-box-01",
          1,
          Alert.State.FIRING,
          Rule.Resolve.ACK,
          79.0,
          null,
          "GPU 1 XID 79: GPU has fallen off the bus",
          T,
          T,
          null,
          null,
          null);

  @Test
  void theTrainwatchFormatCarriesTheEventTheKeysAndTheAlert() {
    JsonObject p = Payloads.trainwatch(new Notice(FIRING, "firing"), T.plusSeconds(1));
    assertThat(p.getString("source")).isEqualTo("trainwatch");
    assertThat(p.getString("event")).isEqualTo("firing");
    assertThat(p.getString("delivery")).isEqualTo("9b2f:firing");
    assertThat(p.getString("group_key")).isEqualTo("gpu-xid|gpu-box-01|1");
    assertThat(p.getString("sent_at")).isEqualTo("2026-12-04T10:15:02.000Z");
    assertThat(p.getJsonObject("alert")).isEqualTo(FIRING.toJson());
    Alert resolved =
        FIRING
            .acknowledged("alice", T.plusSeconds(60))
            .resolve(T.plusSeconds(60), 79.0, FIRING.message());
    assertThat(Payloads.trainwatch(new Notice(resolved, "resolved"), T).getString("event"))
        .isEqualTo("resolved");
    assertThat(new Notice(resolved, "resolved").deliveryId()).isEqualTo("9b2f:resolved");
    assertThat(new Notice(FIRING, "escalated").deliveryId())
        .as("one per severity reached")
        .isEqualTo("9b2f:escalated:critical");
  }

  @Test
  void theSlackFormatIsOneLineOfText() {
    assertThat(Payloads.slack(new Notice(FIRING, "firing")))
        .isEqualTo(
            new JsonObject()
                .put(
                    "text",
                    ":red_circle: [FIRING critical] gpu-box-01: GPU 1 XID 79: GPU has fallen off the bus"));
    Alert resolved = FIRING.resolve(T.plusSeconds(60), 79.0, FIRING.message());
    assertThat(Payloads.slack(new Notice(resolved, "resolved")).getString("text"))
        .startsWith(":white_check_mark: [RESOLVED critical]");
  }

  @Test
  void theMailBodyListsWhatAPersonNeeds() {
    assertThat(Payloads.emailText(FIRING))
        .isEqualTo(
            """
        GPU 1 XID 79: GPU has fallen off the bus

        Rule: gpu-xid
        Server: gpu-box-01
        GPU: 1
        Severity: critical
        State: firing
        Value: 79.0
        Started: 2026-12-04T10:15:01.000Z
        Fired: 2026-12-04T10:15:01.000Z
        Alert id: 9b2f
        """);
  }
}
