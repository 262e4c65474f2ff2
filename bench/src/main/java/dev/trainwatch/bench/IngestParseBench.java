package dev.trainwatch.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.trainwatch.bus.Tokens;
import dev.trainwatch.bus.raw.RawSnapshot;
import dev.trainwatch.ingest.IngestPayload;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The CPU work of one ingest request before storage: streaming parse + contract validation of one
 * snapshot (64 cores, 8 GPUs, 4 disks, 2 NICs, 8 processes) straight into records, and the token
 * check's hit path (SHA-256 of the presented token + cache lookup). Issue 4's target: ≥ 20,000
 * snapshots/s on the 2-core machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IngestParseBench {
  Buffer single;
  Buffer batchOf100;
  String token;
  Cache<String, Boolean> verdicts;

  @Setup
  public void setup() {
    single = AgentSnapshots.snapshot("boot-1", 42).toBuffer();
    var arr = new io.vertx.core.json.JsonArray();
    for (int i = 0; i < 100; i++) {
      arr.add(AgentSnapshots.snapshot("boot-1", i));
    }
    batchOf100 = new io.vertx.core.json.JsonObject().put("snapshots", arr).toBuffer();
    token = Tokens.generate();
    verdicts = Caffeine.newBuilder().maximumSize(50_000).build();
    verdicts.put("gpu-box-01:" + Tokens.sha256Hex(token), Boolean.TRUE);
  }

  @Benchmark
  public void parseValidateAuthenticateOne(Blackhole bh) {
    bh.consume(verdicts.getIfPresent("gpu-box-01:" + Tokens.sha256Hex(token)));
    List<RawSnapshot> s = IngestPayload.parse(single);
    bh.consume(s);
  }

  /** The split of the cost: parse + validate only (no token check). */
  @Benchmark
  public void parseValidateOnly(Blackhole bh) {
    bh.consume(IngestPayload.parse(single));
  }

  /**
   * For reference: Jackson into Vert.x's JSON tree alone, which the ingest path paid (plus checks)
   * before streaming.
   */
  @Benchmark
  public void treeDecodeOnlyForReference(Blackhole bh) {
    bh.consume(dev.trainwatch.bus.Json.decode(single));
  }

  /** A replayed backlog: one token check for 100 snapshots. Score × 100 = snapshots/s. */
  @Benchmark
  public void parseValidateAuthenticateBatchOf100(Blackhole bh) {
    bh.consume(verdicts.getIfPresent("gpu-box-01:" + Tokens.sha256Hex(token)));
    bh.consume(IngestPayload.parse(batchOf100));
  }
}
