package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path file(String json) throws Exception {
    Path f = dir.resolve("tw.json");
    Files.writeString(f, json);
    return f;
  }

  @Test
  void defaultsAloneAreValid() {
    JsonObject c = ConfigLoader.load(null, Map.of());
    assertThat(c.getJsonObject("http").getInteger("port")).isEqualTo(8080);
    assertThat(c.getJsonObject("http").getString("host")).isEqualTo("127.0.0.1");
    assertThat(c.getJsonObject("pg").getString("url")).isNull();
  }

  @Test
  void fileOverridesDefaultsAndEnvironmentOverridesFile() throws Exception {
    Path f =
        file(
            """
        {"http": {"port": 9000}, "collector": {"interval_ms": 2000, "labels": {"rack": "r7"}}}""");
    JsonObject fromFile = ConfigLoader.load(f, Map.of());
    assertThat(fromFile.getJsonObject("http").getInteger("port")).isEqualTo(9000);
    assertThat(fromFile.getJsonObject("http").getString("host"))
        .as("untouched siblings keep defaults")
        .isEqualTo("127.0.0.1");
    assertThat(fromFile.getJsonObject("collector").getJsonObject("labels").getString("rack"))
        .isEqualTo("r7");

    JsonObject withEnv =
        ConfigLoader.load(
            f,
            Map.of(
                "TRAINWATCH_HTTP_PORT",
                "9100",
                "TRAINWATCH_PG_URL",
                "postgresql://tw:secret@db:5432/trainwatch",
                "TRAINWATCH_COLLECTOR_DISKS",
                "nvme0n1, sda",
                "TRAINWATCH_COLLECTOR_GPU_ENABLED",
                "false"));
    assertThat(withEnv.getJsonObject("http").getInteger("port")).isEqualTo(9100);
    assertThat(withEnv.getJsonObject("pg").getString("url"))
        .isEqualTo("postgresql://tw:secret@db:5432/trainwatch");
    assertThat(withEnv.getJsonObject("collector").getJsonArray("disks").getList())
        .containsExactly("nvme0n1", "sda");
    assertThat(withEnv.getJsonObject("collector").getJsonObject("gpu").getBoolean("enabled"))
        .isFalse();
    assertThat(withEnv.getJsonObject("collector").getInteger("interval_ms"))
        .as("file value kept")
        .isEqualTo(2000);
  }

  @Test
  void envNamesFollowTheKeyPath() {
    assertThat(ConfigLoader.envName("pg.url")).isEqualTo("TRAINWATCH_PG_URL");
    assertThat(ConfigLoader.envName("collector.gpu.nvml_library"))
        .isEqualTo("TRAINWATCH_COLLECTOR_GPU_NVML_LIBRARY");
  }

  @Test
  void badValuesNameTheKey() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("TRAINWATCH_HTTP_PORT", "eighty")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("http.port: must be a number");
    assertThatThrownBy(() -> ConfigLoader.load(file("{\"http\": {\"port\": 70000}}"), Map.of()))
        .hasMessage("http.port: must be an integer from 0 to 65535, got 70000");
    assertThatThrownBy(
            () -> ConfigLoader.load(file("{\"pg\": {\"url\": \"mysql://x\"}}"), Map.of()))
        .hasMessageStartingWith("pg.url: must be null (embedded Postgres) or a postgresql://");
    assertThatThrownBy(
            () -> ConfigLoader.load(file("{\"collector\": {\"intervall_ms\": 5}}"), Map.of()))
        .hasMessage("collector.intervall_ms: unknown key (see docs/configuration.md)");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(file("{\"collector\": {\"server\": \"Has Spaces\"}}"), Map.of()))
        .hasMessageStartingWith("collector.server: must be a slug");
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of("TRAINWATCH_COLLECTOR_GPU_ENABLED", "maybe")))
        .hasMessageStartingWith("collector.gpu.enabled: must be true or false");
    assertThatThrownBy(() -> ConfigLoader.load(file("[1,2]"), Map.of()))
        .hasMessageStartingWith("--config:");
  }

  @Test
  void everySettingHasARuleAndIsDocumented() throws Exception {
    var leaves = ConfigLoader.leafPaths(ConfigLoader.defaults(), "");
    assertThat(ConfigRules.keys()).containsExactlyInAnyOrderElementsOf(leaves);
    Path doc = Path.of("..", "docs", "configuration.md");
    String text = Files.readString(doc);
    for (String key : leaves) {
      assertThat(text).as("docs/configuration.md documents " + key).contains("`" + key + "`");
      assertThat(text).contains("`" + ConfigLoader.envName(key) + "`");
    }
  }
}
