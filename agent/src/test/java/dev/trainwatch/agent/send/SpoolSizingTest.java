package dev.trainwatch.agent.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.raw.RawSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The default spool (64 MiB) must hold at least an hour at 1 Hz of an 8-GPU host (issue 11).
 * Measured on snapshots with every CONTRACT.md §1 field of a big training host: 128 logical cores,
 * 8 GPUs with processes, 8 NVMe disks, 4 NICs, counters advancing and gauges moving as they do
 * under load.
 */
class SpoolSizingTest {
  private static final int CORES = 128;

  static JsonObject snapshot(long seq, SplittableRandom r) {
    JsonArray ticks = new JsonArray();
    for (int c = 0; c < CORES; c++) {
      long base = 90_000_000L + c * 1_000L + seq * 1000;
      ticks.add(
          new JsonArray()
              .add(base + r.nextInt(500))
              .add(1200 + seq)
              .add(base / 7 + r.nextInt(90))
              .add(400_000_000L + seq * 10 + r.nextInt(10))
              .add(5_000 + seq / 3)
              .add(0)
              .add(2_000 + seq / 9)
              .add(0));
    }
    JsonArray freq = new JsonArray();
    for (int c = 0; c < CORES; c++) {
      freq.add(2_000 + r.nextInt(1_500));
    }
    JsonArray gpus = new JsonArray();
    JsonArray procs = new JsonArray();
    for (int g = 0; g < 8; g++) {
      gpus.add(
          new JsonObject()
              .put("index", g)
              .put("uuid", "GPU-4f2d1c7e-9b3a-4e5f-8a6b-" + String.format("%012d", g))
              .put("name", "NVIDIA H100 80GB HBM3")
              .put("utilization_percent", 80 + r.nextInt(21))
              .put("memory_utilization_percent", 30 + r.nextInt(40))
              .put("memory_used_bytes", 60_000_000_000L + r.nextInt(1_000_000_000))
              .put("memory_total_bytes", 85_520_809_984L)
              .put("temperature_c", 55 + r.nextInt(20))
              .put("power_w", 400 + r.nextInt(30_000) / 100.0)
              .put("power_limit_w", 700)
              .put("sm_clock_mhz", 1_700 + r.nextInt(280))
              .put("mem_clock_mhz", 2_619)
              .put("energy_mj_total", 9_000_000_000L + seq * 500_000 + r.nextInt(100_000))
              .put("pcie_rx_bytes_per_s", r.nextInt(2_000_000_000))
              .put("pcie_tx_bytes_per_s", r.nextInt(2_000_000_000))
              .put("encoder_percent", 0)
              .put("decoder_percent", 0)
              .put(
                  "clock_event_reasons",
                  r.nextInt(10) == 0 ? new JsonArray().add("sw_power_cap") : new JsonArray())
              .put("ecc_uncorrected_total", 0)
              .put("xid_events", new JsonArray()));
      procs.add(
          new JsonObject()
              .put("pid", 40_000 + g)
              .put("gpu_index", g)
              .put("used_memory_bytes", 59_000_000_000L)
              .put("user", "alice")
              .put(
                  "command",
                  "python -m torch.distributed.run --nproc_per_node 8 train.py "
                      + "--config configs/llama-70b.yaml --local_rank "
                      + g)
              .put("container", "3f9a2c1b7d4e"));
    }
    JsonArray disks = new JsonArray();
    for (int d = 0; d < 8; d++) {
      disks.add(
          new JsonObject()
              .put("name", "nvme" + d + "n1")
              .put("serial", "S6EUNX0T" + d + "01234")
              .put(
                  "read_bytes_total",
                  7_000_000_000_000L + seq * 3_000_000_000L + r.nextInt(1 << 30))
              .put("write_bytes_total", 900_000_000_000L + seq * 10_000_000L)
              .put("read_count_total", 900_000_000L + seq * 20_000)
              .put("write_count_total", 70_000_000L + seq * 300)
              .put("busy_time_ms_total", 40_000_000L + seq * 900));
    }
    JsonArray nics = new JsonArray();
    for (int n = 0; n < 4; n++) {
      nics.add(
          new JsonObject()
              .put("name", "ib" + n)
              .put("mac", "b8:3f:d2:00:00:0" + n)
              .put(
                  "rx_bytes_total",
                  90_000_000_000_000L + seq * 12_000_000_000L + r.nextInt(1 << 30))
              .put("tx_bytes_total", 80_000_000_000_000L + seq * 12_000_000_000L)
              .put("rx_packets_total", 9_000_000_000L + seq * 3_000_000)
              .put("tx_packets_total", 8_000_000_000L + seq * 3_000_000)
              .put("rx_errors_total", 0)
              .put("tx_errors_total", 0));
    }
    return new JsonObject()
        .put("schema", 1)
        .put("ts", Instant.ofEpochMilli(1_796_000_000_000L + seq * 1000).toString())
        .put(
            "agent",
            new JsonObject()
                .put("version", "0.1.0")
                .put("hostname", "gpu-box-01")
                .put("labels", new JsonObject().put("rack", "r1").put("role", "trainer"))
                .put("boot_id", "6f0c2e1a-93b4-4c5d-8e7f-0a1b2c3d4e5f")
                .put("seq", seq)
                .put("uptime_ms", 86_400_000L + seq * 1000))
        .put(
            "cpu",
            new JsonObject()
                .put("ticks_ms_total", ticks)
                .put("load_avg", new JsonArray().add(90 + r.nextDouble()).add(88.5).add(80.25))
                .put("freq_mhz", freq))
        .put(
            "memory",
            new JsonObject()
                .put("total_bytes", 2_164_000_000_000L)
                .put("available_bytes", 1_000_000_000_000L + r.nextInt(1 << 30))
                .put("used_bytes", 1_100_000_000_000L)
                .put("swap_total_bytes", 0)
                .put("swap_used_bytes", 0)
                .put("swap_in_bytes_total", 0)
                .put("swap_out_bytes_total", 0))
        .put("disks", disks)
        .put("networks", nics)
        .put("gpus", gpus)
        .put("gpu_processes", procs);
  }

  @Test
  void anHourOfAnEightGpuHostAtOneHertzFitsTheDefaultSpool() {
    SplittableRandom r = new SplittableRandom(11);
    long json = 0;
    long stored = 0;
    int n = 300;
    SnapshotPayload codec = new SnapshotPayload();
    for (long seq = 0; seq < n; seq++) {
      RawSnapshot s = RawSnapshot.fromJson(snapshot(seq, r));
      json += s.toJson().toBuffer().length();
      stored += codec.encode(s).length + 12; // the frame header
    }
    long perHour = stored * 3600 / n;
    System.out.printf(
        "8-GPU, 128-core snapshot: %d B JSON, %d B spooled; one hour at 1 Hz: %.1f MiB%n",
        json / n, stored / n, perHour / 1048576.0);
    assertThat(perHour).isLessThan(64L << 20);
    // Deflated, it holds more than five hours (docs/agent.md sizes the spool from these figures).
    assertThat(perHour * 5).isLessThan(64L << 20);
    assertThat(stored * 4).isLessThan(json);
  }
}
