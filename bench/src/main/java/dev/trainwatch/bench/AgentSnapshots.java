package dev.trainwatch.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Realistic agent snapshots for load and parse benchmarks: a GPU training host with 64 logical cores, 8 GPUs, 4 NVMe
 * disks and 2 NICs, every field of CONTRACT.md §1 filled with plausible values.
 */
public final class AgentSnapshots {
  private AgentSnapshots() {}

  public static JsonObject snapshot(String bootId, long seq) {
    JsonArray ticks = new JsonArray();
    for (int c = 0; c < 64; c++) {
      long b = 10_000_000L + seq * 1000 + c;
      ticks.add(new JsonArray().add(b * 7).add(b / 100).add(b * 2).add(b * 30).add(b / 50).add(b / 1000).add(b / 500).add(0));
    }
    JsonArray freq = new JsonArray();
    for (int c = 0; c < 64; c++) {
      freq.add(3400 - c);
    }
    JsonArray gpus = new JsonArray();
    for (int g = 0; g < 8; g++) {
      gpus.add(new JsonObject().put("index", g).put("uuid", "GPU-3f2a9c1e-8b7d-4c6e-9a1f-00000000000" + g)
          .put("name", "NVIDIA H100 80GB HBM3").put("pci_bus_id", "00000000:1" + g + ":00.0")
          .put("utilization_percent", 97).put("memory_utilization_percent", 41)
          .put("memory_used_bytes", 65_000_000_000L).put("memory_total_bytes", 85_520_809_984L).put("temperature_c", 64)
          .put("power_w", 512.3).put("power_limit_w", 700).put("sm_clock_mhz", 1980).put("mem_clock_mhz", 2619)
          .put("energy_mj_total", 123_456_789_000L + seq * 512_000).put("pcie_rx_bytes_per_s", 1.2e9)
          .put("pcie_tx_bytes_per_s", 3.4e8).put("encoder_percent", 0).put("decoder_percent", 0)
          .put("clock_event_reasons", new JsonArray().add("sw_power_cap")).put("ecc_uncorrected_total", 0)
          .put("xid_events", new JsonArray()));
    }
    JsonArray disks = new JsonArray();
    for (int d = 0; d < 4; d++) {
      disks.add(new JsonObject().put("name", "nvme" + d + "n1").put("serial", "S6EWNS0T80" + d)
          .put("read_bytes_total", 9_000_000_000_000L + seq * 1_000_000).put("write_bytes_total", 4_000_000_000_000L + seq * 500_000)
          .put("read_count_total", 900_000_000L + seq * 100).put("write_count_total", 400_000_000L + seq * 50)
          .put("busy_time_ms_total", 80_000_000L + seq * 400));
    }
    JsonArray nics = new JsonArray();
    for (int n = 0; n < 2; n++) {
      nics.add(new JsonObject().put("name", "ens" + n).put("mac", "0c:42:a1:00:00:0" + n)
          .put("rx_bytes_total", 8_000_000_000_000L + seq * 10_000_000).put("tx_bytes_total", 7_000_000_000_000L + seq * 9_000_000)
          .put("rx_packets_total", 5_000_000_000L).put("tx_packets_total", 4_000_000_000L).put("rx_errors_total", 0)
          .put("tx_errors_total", 0));
    }
    JsonArray procs = new JsonArray();
    for (int g = 0; g < 8; g++) {
      procs.add(new JsonObject().put("pid", 4242 + g).put("gpu_index", g).put("used_memory_bytes", 64_000_000_000L)
          .put("user", "alice").put("command", "python train.py --config llama.yaml --rank " + g)
          .put("container", "3f9c1e8b7d4c"));
    }
    return new JsonObject().put("schema", 1).put("ts", java.time.Instant.ofEpochMilli(1_795_000_000_000L + seq * 1000).toString())
        .put("agent", new JsonObject().put("version", "0.1.0").put("hostname", "gpu-box-01")
            .put("labels", new JsonObject().put("rack", "r1")).put("boot_id", bootId).put("seq", seq)
            .put("uptime_ms", 86_400_000L + seq * 1000))
        .put("cpu", new JsonObject().put("ticks_ms_total", ticks).put("load_avg", new JsonArray().add(12.5).add(11.0).add(10.2))
            .put("freq_mhz", freq))
        .put("memory", new JsonObject().put("total_bytes", 2_164_000_000_000L).put("available_bytes", 1_800_000_000_000L)
            .put("used_bytes", 364_000_000_000L).put("swap_total_bytes", 0).put("swap_used_bytes", 0)
            .put("swap_in_bytes_total", 0).put("swap_out_bytes_total", 0))
        .put("disks", disks).put("networks", nics).put("gpus", gpus).put("gpu_processes", procs);
  }
}
