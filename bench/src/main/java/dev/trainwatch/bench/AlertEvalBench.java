package dev.trainwatch.bench;

import dev.trainwatch.alerts.eval.Change;
import dev.trainwatch.alerts.eval.Evaluator;
import dev.trainwatch.alerts.rules.BuiltinRules;
import dev.trainwatch.alerts.rules.Rule;
import dev.trainwatch.alerts.rules.RuleParser;
import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rule evaluation per snapshot (issue 14): one 8-GPU node's derived snapshots, ten minutes of them
 * at 1 Hz, against the built-in rules ({@code builtin}: 8) or 100 rules (the built-ins plus 92
 * generated ones over every metric, a third of them scoped). Temperatures, utilization and memory
 * swing across the thresholds, so alerts go pending, fire and resolve during the run; the changes
 * are consumed, not stored (storage is measured by the ingest load with alerts on and off).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AlertEvalBench {
  private static final int GPUS = 8;
  private static final int SNAPSHOTS = 600;
  private static final Instant T0 = Instant.parse("2026-12-04T00:00:00Z");

  @Param({"builtin", "100"})
  public String rules;

  private final List<DerivedSnapshot> snapshots = new ArrayList<>();
  private Evaluator evaluator;
  private int next;
  private long changes;

  @Setup
  public void setUp() {
    evaluator = new Evaluator(() -> Long.toString(changes++));
    evaluator.setRules(ruleSet(rules), T0);
    for (int i = 0; i < SNAPSHOTS; i++) {
      JsonArray gpus = new JsonArray();
      for (int g = 0; g < GPUS; g++) {
        double phase = (i + g * 37) % 240;
        gpus.add(
            new JsonObject()
                .put("index", g)
                .put("temperature", 70 + phase / 12)
                .put("utilization", phase < 40 ? 0.0 : 90.0)
                .put("memory_used", (long) (phase * 3e8))
                .put("memory_total", 85_899_345_920L)
                .put("power", 300 + phase)
                .put(
                    "clock_event_reasons",
                    new JsonArray().add(phase > 200 ? "sw_power_cap" : "gpu_idle"))
                .put("ecc_uncorrected_total", i / 300));
      }
      JsonObject o =
          new JsonObject()
              .put("server", "gpu-box-01")
              .put("ts", Json.ts(T0.plusSeconds(i)))
              .put("boot_id", "b")
              .put("seq", i)
              .put("interval_s", 1.0)
              .put("gpus", gpus)
              .put(
                  "agent",
                  new JsonObject()
                      .put("labels", new JsonObject().put("rack", "r1").put("pool", "train")))
              .put("cpu", new JsonObject().put("utilization", (double) (i % 100)))
              .put(
                  "memory",
                  new JsonObject()
                      .put("ram_used", 60L * (i % 100) << 24)
                      .put("ram_total", 6400L << 24))
              .put(
                  "disk",
                  new JsonObject()
                      .put(
                          "disks",
                          new JsonArray()
                              .add(
                                  new JsonObject()
                                      .put("name", "nvme0n1")
                                      .put("utilization", (double) (i * 7 % 100)))))
              .put(
                  "bottleneck",
                  new JsonObject()
                      .put("label", i % 60 < 30 ? "gpu-bound" : "cpu-bound")
                      .put("reasons", new JsonArray()));
      snapshots.add(DerivedSnapshot.fromJson(o));
    }
  }

  static List<Rule> ruleSet(String which) {
    List<Rule> out = new ArrayList<>(BuiltinRules.load());
    if (which.equals("builtin")) {
      return out;
    }
    String[] metrics = {
      "gpu.temperature",
      "gpu.utilization",
      "gpu.memory_used_percent",
      "gpu.power",
      "cpu.utilization",
      "memory.used_percent",
      "disk.utilization",
      "gpu.idle_memory_percent"
    };
    for (int i = 0; out.size() < 100; i++) {
      JsonObject r =
          new JsonObject()
              .put("name", "generated-" + i)
              .put("metric", metrics[i % metrics.length])
              .put("op", i % 4 == 0 ? "<" : ">=")
              .put("threshold", 20 + (i * 13) % 70)
              .put("for_s", (i % 5) * 15);
      if (i % 3 == 0) {
        r.put(
            "scope",
            new JsonObject().put("labels", new JsonObject().put("rack", i % 2 == 0 ? "r1" : "r2")));
      }
      if (i % 11 == 0) {
        r =
            new JsonObject()
                .put("name", "generated-" + i)
                .put("metric", "bottleneck.label")
                .put("op", "==")
                .put("threshold", "cpu-bound")
                .put("for_s", 20);
      }
      out.add(RuleParser.parse(r, ""));
    }
    return out;
  }

  @Benchmark
  public List<Change> evaluate() {
    DerivedSnapshot s = snapshots.get(next);
    next = (next + 1) % SNAPSHOTS;
    return evaluator.onSnapshot(s, T0);
  }
}
