package dev.trainwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CollectorConfigTest {

  @Test
  void defaults() {
    CollectorConfig c = CollectorConfig.fromJson(new JsonObject());
    assertThat(c.server()).isEqualTo("local");
    assertThat(c.intervalMs()).isEqualTo(1000);
    assertThat(c.processIntervalMs()).isEqualTo(5000);
    assertThat(c.replyTimeoutMs()).isEqualTo(15_000);
    assertThat(c.devices().disks()).isEmpty();
    assertThat(c.devices().nics()).isEmpty();
    assertThat(c.devices().includeVirtualNics()).isFalse();
    assertThat(c.hostname()).isNull();
    assertThat(c.labels()).isEmpty();
    assertThat(c.gpu()).isEqualTo(new JsonObject());
    assertThat(c.enabled()).isEqualTo(EnabledSources.all());
    assertThat(c.version()).isEqualTo("0.1.0");
    assertThat(c.systemReader()).isEqualTo("auto");
    assertThat(CollectorConfig.fromJson(null)).isEqualTo(c);
  }

  @Test
  void everyKey() {
    JsonObject json =
        new JsonObject()
            .put("server", "box-7")
            .put("interval_ms", 2000)
            .put("process_interval_ms", 10000)
            .put("reply_timeout_ms", 3000)
            .put("disks", new JsonArray().add("/dev/nvme0n1").add("sda"))
            .put("nics", new JsonArray().add("ib0"))
            .put("include_virtual_nics", true)
            .put("hostname", "gpu-box-01")
            .put("labels", new JsonObject().put("rack", "r1").put("zone", "a"))
            .put("gpu", new JsonObject().put("provider", "nvidia-smi"))
            .put("enabled_sources", new JsonObject().put("pressure", false).put("processes", false))
            .put("version", "0.2.0")
            .put("system_reader", "oshi");
    CollectorConfig c = CollectorConfig.fromJson(json);
    assertThat(c.server()).isEqualTo("box-7");
    assertThat(c.intervalMs()).isEqualTo(2000);
    assertThat(c.processIntervalMs()).isEqualTo(10000);
    assertThat(c.replyTimeoutMs()).isEqualTo(3000);
    assertThat(c.devices().disks()).isEqualTo(Set.of("nvme0n1", "sda"));
    assertThat(c.devices().nics()).isEqualTo(Set.of("ib0"));
    assertThat(c.devices().includeVirtualNics()).isTrue();
    assertThat(c.hostname()).isEqualTo("gpu-box-01");
    assertThat(c.labels()).containsExactly(Map.entry("rack", "r1"), Map.entry("zone", "a"));
    assertThat(c.gpu().getString("provider")).isEqualTo("nvidia-smi");
    assertThat(c.enabled())
        .isEqualTo(new EnabledSources(true, true, true, true, false, true, false));
    assertThat(c.version()).isEqualTo("0.2.0");
    assertThat(c.systemReader()).isEqualTo("oshi");
  }

  @Test
  void intervalsBelowTheFloorAreRaised() {
    CollectorConfig c =
        CollectorConfig.fromJson(
            new JsonObject().put("interval_ms", 100).put("process_interval_ms", 10));
    assertThat(c.intervalMs()).isEqualTo(500);
    assertThat(c.processIntervalMs()).isEqualTo(1000);
  }

  @Test
  void mistakesNameTheKey() {
    assertThatThrownBy(() -> CollectorConfig.fromJson(new JsonObject().put("interval_ms", "fast")))
        .hasMessageContaining("collector.interval_ms");
    assertThatThrownBy(() -> CollectorConfig.fromJson(new JsonObject().put("interval_ms", -1)))
        .hasMessageContaining("collector.interval_ms");
    assertThatThrownBy(() -> CollectorConfig.fromJson(new JsonObject().put("disks", "sda")))
        .hasMessageContaining("collector.disks");
    assertThatThrownBy(
            () -> CollectorConfig.fromJson(new JsonObject().put("nics", new JsonArray().add(1))))
        .hasMessageContaining("collector.nics");
    assertThatThrownBy(
            () ->
                CollectorConfig.fromJson(
                    new JsonObject().put("labels", new JsonObject().put("rack", 1))))
        .hasMessageContaining("collector.labels.rack");
    assertThatThrownBy(
            () ->
                CollectorConfig.fromJson(
                    new JsonObject().put("labels", new JsonObject().put("", "x"))))
        .hasMessageContaining("collector.labels");
    assertThatThrownBy(
            () ->
                CollectorConfig.fromJson(
                    new JsonObject().put("enabled_sources", new JsonObject().put("gpu", true))))
        .hasMessageContaining("collector.enabled_sources.gpu");
    assertThatThrownBy(
            () ->
                CollectorConfig.fromJson(
                    new JsonObject().put("enabled_sources", new JsonObject().put("cpu", "yes"))))
        .hasMessageContaining("collector.enabled_sources.cpu");
    assertThatThrownBy(
            () -> CollectorConfig.fromJson(new JsonObject().put("include_virtual_nics", "no")))
        .hasMessageContaining("collector.include_virtual_nics");
    assertThatThrownBy(() -> CollectorConfig.fromJson(new JsonObject().put("server", "")))
        .hasMessageContaining("collector.server");
    assertThatThrownBy(() -> CollectorConfig.fromJson(new JsonObject().put("gpu", "nvml")))
        .hasMessageContaining("collector.gpu");
    JsonObject tooMany = new JsonObject();
    for (int i = 0; i < 65; i++) {
      tooMany.put("k" + i, "v");
    }
    assertThatThrownBy(() -> CollectorConfig.fromJson(new JsonObject().put("labels", tooMany)))
        .hasMessageContaining("collector.labels");
  }
}
