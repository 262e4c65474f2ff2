package dev.trainwatch.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Realistic agent snapshots for load and parse benchmarks: a GPU training host with 64 logical
 * cores, 8 GPUs, 4 NVMe disks and 2 NICs, every field of CONTRACT.md §1 filled with plausible
 * values, counters advancing with {@code seq}. Written with Jackson's generator rather than built
 * as a tree: a load generator that shares the cores with the server under test must spend as little
 * as it can per snapshot.
 */
public final class AgentSnapshots {
  private AgentSnapshots() {}

  private static final JsonFactory JSON = new JsonFactory();

  /** A fixed clock (2026-11-18), for benchmarks that never store what they parse. */
  private static final long FIXED_BASE_MS = 1_795_000_000_000L;

  public static JsonObject snapshot(String bootId, long seq) {
    return new JsonObject(batch(bootId, FIXED_BASE_MS, seq, 1, false));
  }

  /**
   * {@code {"snapshots": [...]}} with {@code count} consecutive snapshots from {@code seq}, or the
   * one snapshot alone; snapshot {@code seq} is stamped {@code baseMs + seq} seconds.
   */
  public static Buffer batch(String bootId, long baseMs, long seq, int count, boolean wrapped) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16_384 * count);
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      if (wrapped) {
        g.writeStartObject();
        g.writeArrayFieldStart("snapshots");
      }
      for (int i = 0; i < count; i++) {
        write(g, bootId, baseMs, seq + i);
      }
      if (wrapped) {
        g.writeEndArray();
        g.writeEndObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  private static void write(JsonGenerator g, String bootId, long baseMs, long seq)
      throws IOException {
    g.writeStartObject();
    g.writeNumberField("schema", 1);
    g.writeStringField("ts", Instant.ofEpochMilli(baseMs + seq * 1000).toString());
    g.writeObjectFieldStart("agent");
    g.writeStringField("version", "0.1.0");
    g.writeStringField("hostname", "gpu-box-01");
    g.writeObjectFieldStart("labels");
    g.writeStringField("rack", "r1");
    g.writeEndObject();
    g.writeStringField("boot_id", bootId);
    g.writeNumberField("seq", seq);
    g.writeNumberField("uptime_ms", 86_400_000L + seq * 1000);
    g.writeEndObject();

    g.writeObjectFieldStart("cpu");
    g.writeArrayFieldStart("ticks_ms_total");
    for (int c = 0; c < 64; c++) {
      long b = 10_000_000L + seq * 1000 + c;
      g.writeArray(new long[] {b * 7, b / 100, b * 2, b * 30, b / 50, b / 1000, b / 500, 0}, 0, 8);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("load_avg");
    g.writeNumber(12.5);
    g.writeNumber(11.0);
    g.writeNumber(10.2);
    g.writeEndArray();
    g.writeArrayFieldStart("freq_mhz");
    for (int c = 0; c < 64; c++) {
      g.writeNumber(3400 - c);
    }
    g.writeEndArray();
    g.writeEndObject();

    g.writeObjectFieldStart("memory");
    g.writeNumberField("total_bytes", 2_164_000_000_000L);
    g.writeNumberField("available_bytes", 1_800_000_000_000L);
    g.writeNumberField("used_bytes", 364_000_000_000L);
    g.writeNumberField("swap_total_bytes", 0);
    g.writeNumberField("swap_used_bytes", 0);
    g.writeNumberField("swap_in_bytes_total", 0);
    g.writeNumberField("swap_out_bytes_total", 0);
    g.writeEndObject();

    g.writeArrayFieldStart("disks");
    for (int d = 0; d < 4; d++) {
      g.writeStartObject();
      g.writeStringField("name", "nvme" + d + "n1");
      g.writeStringField("serial", "S6EWNS0T80" + d);
      g.writeNumberField("read_bytes_total", 9_000_000_000_000L + seq * 1_000_000);
      g.writeNumberField("write_bytes_total", 4_000_000_000_000L + seq * 500_000);
      g.writeNumberField("read_count_total", 900_000_000L + seq * 100);
      g.writeNumberField("write_count_total", 400_000_000L + seq * 50);
      g.writeNumberField("busy_time_ms_total", 80_000_000L + seq * 400);
      g.writeEndObject();
    }
    g.writeEndArray();

    g.writeArrayFieldStart("networks");
    for (int n = 0; n < 2; n++) {
      g.writeStartObject();
      g.writeStringField("name", "ens" + n);
      g.writeStringField("mac", "0c:42:a1:00:00:0" + n);
      g.writeNumberField("rx_bytes_total", 8_000_000_000_000L + seq * 10_000_000);
      g.writeNumberField("tx_bytes_total", 7_000_000_000_000L + seq * 9_000_000);
      g.writeNumberField("rx_packets_total", 5_000_000_000L);
      g.writeNumberField("tx_packets_total", 4_000_000_000L);
      g.writeNumberField("rx_errors_total", 0);
      g.writeNumberField("tx_errors_total", 0);
      g.writeEndObject();
    }
    g.writeEndArray();

    g.writeArrayFieldStart("gpus");
    for (int i = 0; i < 8; i++) {
      g.writeStartObject();
      g.writeNumberField("index", i);
      g.writeStringField("uuid", "GPU-3f2a9c1e-8b7d-4c6e-9a1f-00000000000" + i);
      g.writeStringField("name", "NVIDIA H100 80GB HBM3");
      g.writeStringField("pci_bus_id", "00000000:1" + i + ":00.0");
      g.writeNumberField("utilization_percent", 97);
      g.writeNumberField("memory_utilization_percent", 41);
      g.writeNumberField("memory_used_bytes", 65_000_000_000L);
      g.writeNumberField("memory_total_bytes", 85_520_809_984L);
      g.writeNumberField("temperature_c", 64);
      g.writeNumberField("power_w", 512.3);
      g.writeNumberField("power_limit_w", 700);
      g.writeNumberField("sm_clock_mhz", 1980);
      g.writeNumberField("mem_clock_mhz", 2619);
      g.writeNumberField("energy_mj_total", 123_456_789_000L + seq * 512_000);
      g.writeNumberField("pcie_rx_bytes_per_s", 1.2e9);
      g.writeNumberField("pcie_tx_bytes_per_s", 3.4e8);
      g.writeNumberField("encoder_percent", 0);
      g.writeNumberField("decoder_percent", 0);
      g.writeArrayFieldStart("clock_event_reasons");
      g.writeString("sw_power_cap");
      g.writeEndArray();
      g.writeNumberField("ecc_uncorrected_total", 0);
      g.writeArrayFieldStart("xid_events");
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();

    g.writeArrayFieldStart("gpu_processes");
    for (int i = 0; i < 8; i++) {
      g.writeStartObject();
      g.writeNumberField("pid", 4242 + i);
      g.writeNumberField("gpu_index", i);
      g.writeNumberField("used_memory_bytes", 64_000_000_000L);
      g.writeStringField("user", "alice");
      g.writeStringField("command", "python train.py --config llama.yaml --rank " + i);
      g.writeStringField("container", "3f9c1e8b7d4c");
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
