package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class AgentCommandLineTest {
  private static JsonObject http(String host, int port) {
    return new JsonObject().put("http", new JsonObject().put("host", host).put("port", port));
  }

  @Test
  void aPublicAddressIsUsedAsIs() {
    assertThat(AgentCommandLine.lines(http("10.0.0.5", 8080), "gpu-box-01", "tok", "ignored"))
        .containsExactly(
            "AI_DASHBOARD_TOKEN=tok trainwatch-agent --host http://10.0.0.5:8080 --server-slug gpu-box-01");
  }

  @Test
  void everyAddressMeansThisHostsName() {
    assertThat(AgentCommandLine.lines(http("0.0.0.0", 9000), "b", "t", "monitor.lab"))
        .containsExactly(
            "AI_DASHBOARD_TOKEN=t trainwatch-agent --host http://monitor.lab:9000 --server-slug b");
  }

  @Test
  void loopbackOnlyIsSaidPlainly() {
    var lines = AgentCommandLine.lines(http("127.0.0.1", 8080), "b", "t", "monitor.lab");
    assertThat(lines.get(0))
        .isEqualTo(
            "AI_DASHBOARD_TOKEN=t trainwatch-agent --host http://monitor.lab:8080 --server-slug b");
    assertThat(lines.get(1)).contains("listens on 127.0.0.1 only").contains("TRAINWATCH_HTTP_HOST");
  }

  @Test
  void anIpv6AddressIsBracketed() {
    assertThat(AgentCommandLine.lines(http("fd00::5", 8080), "b", "t", "x").get(0))
        .contains("--host http://[fd00::5]:8080 ");
    assertThat(AgentCommandLine.lines(http("fd00::5", 8080), "b", "t", "x").get(0))
        .doesNotContain("--token");
  }
}
