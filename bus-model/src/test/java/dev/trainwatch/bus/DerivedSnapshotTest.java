package dev.trainwatch.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainwatch.bus.derived.*;
import dev.trainwatch.bus.raw.GpuProcess;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DerivedSnapshotTest {

  static DerivedSnapshot sample() {
    return new DerivedSnapshot(
        "gpu-box-01",
        Instant.parse("2026-11-22T06:00:00.123Z"),
        "boot-a",
        7,
        1.0,
        false,
        new AgentSeen("0.1.0", "gpu-box-01", Map.of("rack", "r1"), "10.0.0.7"),
        new CpuFigures(37.5, List.of(25.0, 50.0), 1.5, 0.0, List.of(0.5, 0.4, 0.3)),
        new MemoryFigures(1L, 2L, 1L, 0L, 0L, 0.0, 0.0),
        new DiskFigures(
            100.0, 200.0, List.of(new DiskRates("nvme0n1", 100.0, 200.0, 1.0, 2.0, 12.5))),
        new NetworkFigures(5.0, 6.0, List.of(new NicRates("eth0", 5.0, 6.0, 0.0))),
        List.of(
            new GpuFigures(
                0,
                "GPU-1",
                "H100",
                97.0,
                41.0,
                1000L,
                2000L,
                64.0,
                512.3,
                500.0,
                700.0,
                null,
                1980.0,
                2619.0,
                1e9,
                2e9,
                0.0,
                0.0,
                List.of("sw_power_cap"),
                0L,
                false,
                List.of())),
        new GpuRollup(97.0, 97.0, 1000L, 2000L),
        new Bottleneck("gpu-bound", List.of("gpu-bound: GPU util avg 97 %"), List.of()),
        List.of(new GpuProcess(4242, 0, 1000L, "compute", "alice", "python train.py", null)));
  }

  @Test
  void sectionsAreTheChannelDataOfTheContract() {
    JsonObject j = sample().toJson();
    assertThat(j.getJsonObject("cpu").fieldNames())
        .contains("utilization", "per_core", "iowait", "load_avg");
    assertThat(j.getJsonObject("memory").fieldNames())
        .contains("ram_used", "ram_total", "swap_used", "swap_total");
    assertThat(j.getJsonObject("disk").getJsonArray("disks").getJsonObject(0).fieldNames())
        .contains("name", "read_rate", "write_rate", "read_iops", "write_iops", "utilization");
    assertThat(j.getJsonObject("network").fieldNames()).contains("upload_rate", "download_rate");
    assertThat(j.getJsonArray("gpus").getJsonObject(0).fieldNames())
        .contains("utilization", "memory_used", "memory_total", "temperature", "power")
        .doesNotContain("fan");
    assertThat(j.getDouble("gpu_util_max")).isEqualTo(97.0);
    assertThat(j.getJsonObject("bottleneck").getString("label")).isEqualTo("gpu-bound");
  }

  @Test
  void roundTrips() {
    JsonObject j = sample().toJson();
    assertThat(DerivedSnapshot.fromJson(j).toJson()).isEqualTo(j);
  }

  @Test
  void rejectsGarbage() {
    JsonObject j = sample().toJson();
    j.getJsonObject("cpu").put("utilization", 250);
    assertThatThrownBy(() -> DerivedSnapshot.fromJson(j))
        .isInstanceOfSatisfying(
            InvalidPayloadException.class, e -> assertThat(e.field()).isEqualTo("cpu.utilization"));
    JsonObject k = sample().toJson();
    k.remove("server");
    assertThatThrownBy(() -> DerivedSnapshot.fromJson(k)).hasMessageStartingWith("server:");
  }
}
