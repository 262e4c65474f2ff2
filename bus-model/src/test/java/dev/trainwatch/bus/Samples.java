package dev.trainwatch.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A full CONTRACT.md §1 snapshot, as an agent would send it. */
final class Samples {
  private Samples() {}

  static JsonObject agentSnapshot() {
    return new JsonObject(
        """
        {"schema": 1, "ts": "2026-11-22T06:00:00.123Z",
         "agent": {"version": "0.1.0", "hostname": "gpu-box-01", "labels": {"rack": "r1"},
                   "boot_id": "6f0c1d2e", "seq": 1234, "uptime_ms": 86400123},
         "cpu": {"ticks_ms_total": [[100, 0, 50, 800, 10, 1, 2, 0], [18446744073709551615, 0, 0, 0, 0, 0, 0, 0]],
                 "load_avg": [0.5, 0.4, 0.3], "freq_mhz": [3400, 3300]},
         "memory": {"total_bytes": 68719476736, "available_bytes": 34359738368, "used_bytes": 34359738368,
                    "swap_total_bytes": 0, "swap_used_bytes": 0, "swap_in_bytes_total": 0, "swap_out_bytes_total": 0},
         "disks": [{"name": "nvme0n1", "serial": "S1", "read_bytes_total": 1, "write_bytes_total": 2,
                    "read_count_total": 3, "write_count_total": 4, "busy_time_ms_total": 5}],
         "networks": [{"name": "eth0", "mac": "aa:bb", "rx_bytes_total": 10, "tx_bytes_total": 20,
                       "rx_packets_total": 1, "tx_packets_total": 2, "rx_errors_total": 0, "tx_errors_total": 0}],
         "gpus": [{"index": 0, "uuid": "GPU-1", "name": "NVIDIA H100 80GB HBM3", "utilization_percent": 97,
                   "memory_utilization_percent": 41, "memory_used_bytes": 1000, "memory_total_bytes": 2000,
                   "temperature_c": 64, "power_w": 512.3, "power_limit_w": 700, "fan_percent": null,
                   "sm_clock_mhz": 1980, "mem_clock_mhz": 2619, "energy_mj_total": 123456789,
                   "pcie_rx_bytes_per_s": 1e9, "pcie_tx_bytes_per_s": 2e9, "encoder_percent": 0,
                   "decoder_percent": 0, "clock_event_reasons": ["sw_power_cap"], "ecc_uncorrected_total": 0,
                   "xid_events": [{"xid": 79, "ts": "2026-11-22T05:59:59Z"}]}],
         "gpu_processes": [{"pid": 4242, "gpu_index": 0, "used_memory_bytes": 1000, "user": "alice",
                            "command": "python train.py", "container": "abc123"}],
         "some_future_key": {"ignored": true}}""");
  }

  static JsonArray arr(Object... v) {
    return new JsonArray(List.of(v));
  }
}
