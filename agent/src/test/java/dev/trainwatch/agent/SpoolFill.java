package dev.trainwatch.agent;

import dev.trainwatch.agent.send.SnapshotPayload;
import dev.trainwatch.agent.spool.Spool;
import dev.trainwatch.collector.CollectorConfig;
import dev.trainwatch.collector.HostSampler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * For {@code scripts/bench-agent-replay}: fills a spool with what an agent at 1 Hz would have kept
 * during an outage of N seconds ending now. Each snapshot is this host's real sample, re-stamped
 * one second apart ({@code ts}, {@code uptime_ms}, {@code seq} as an agent started COUNT seconds
 * ago would have), so the server derives a 1 s interval for each.
 *
 * <p>Usage: {@code SpoolFill SPOOL_DIR COUNT}; prints the first and last seq.
 */
public final class SpoolFill {
  private SpoolFill() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    JsonObject base;
    try (HostSampler sampler =
        HostSampler.open(
            CollectorConfig.fromJson(new JsonObject().put("server", "fill")),
            new SimpleMeterRegistry(),
            (s, e) -> {})) {
      base = sampler.sample(List.of()).toJson();
    }
    JsonObject agent = base.getJsonObject("agent");
    long uptime0 = agent.getLong("uptime_ms") - count * 1000L;
    // As an agent started an hour ago numbers them: from its uptime at start, one a sample.
    long seq0 = uptime0;
    long now = Instant.now().toEpochMilli();
    try (Spool spool = Spool.open(dir, 1L << 30);
        SnapshotPayload codec = new SnapshotPayload()) {
      for (int i = 0; i < count; i++) {
        agent.put("seq", seq0 + i).put("uptime_ms", uptime0 + i * 1000L);
        base.put("ts", Instant.ofEpochMilli(now - (count - i) * 1000L).toString());
        spool.append(codec.deflate(base.toBuffer().getBytes()));
      }
      System.out.println(
          "spooled "
              + count
              + " snapshots, seq "
              + seq0
              + " to "
              + (seq0 + count - 1)
              + ", "
              + spool.bytes()
              + " bytes");
    }
  }
}
