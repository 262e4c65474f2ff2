package dev.trainwatch.rates.bottleneck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.derived.Bottleneck;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.rates.HostSim;
import dev.trainwatch.rates.ServerRates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sequences of raw samples from a simulated host, every 2 s, through {@link ServerRates} with a 10
 * s window: the label, its reasons and the flags that come out. Steady loads run 8 samples, so the
 * window holds 6.
 */
class BottleneckScenarioTest {
  private static final long STEP_MS = 2000;

  /** Sets the load for sample {@code i} (0-based). */
  interface Load {
    void apply(HostSim h, int i);
  }

  private static ServerRates rates() {
    return new ServerRates("sim", Duration.ofMillis(STEP_MS), Duration.ofSeconds(10));
  }

  private static List<Bottleneck> run(HostSim h, int samples, Load load) {
    ServerRates r = rates();
    List<Bottleneck> out = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      load.apply(h, i);
      out.add(r.accept(h.next(STEP_MS)).bottleneck());
    }
    return out;
  }

  private static Load steady() {
    return (h, i) -> {};
  }

  static Stream<Arguments> labels() {
    return Stream.of(
        Arguments.of(
            "gpu-bound",
            new HostSim(8, 2).gpus(95, 91).cpu(40, 1).disk(10),
            steady(),
            List.of(
                "gpu-bound: GPU util avg 93 % ≥ 80 %; GPU util max 95 %, CPU 40 % (0/8 cores ≥ 90 %), "
                    + "iowait 1 %, busiest disk 10 %, RAM available 50 % over 10 s (6 samples)"),
            List.of()),
        Arguments.of(
            "cpu-bound",
            new HostSim(32, 8).gpus(23).cpu(97, 1).disk(5),
            steady(),
            List.of(
                "cpu-bound: CPU 97 % ≥ 85 % (32/32 cores ≥ 90 %); GPU util avg 23 %, GPU util max 23 %, "
                    + "iowait 1 %, busiest disk 5 %, RAM available 50 % over 10 s (6 samples)"),
            List.of()),
        Arguments.of(
            "io-bound",
            new HostSim(8, 2).gpus(30).cpu(20, 15).disk(95),
            steady(),
            List.of(
                "io-bound: iowait 15 % ≥ 10 %, busiest disk 95 % ≥ 90 %; GPU util avg 30 %, GPU util max 30 %, "
                    + "CPU 20 % (0/8 cores ≥ 90 %), RAM available 50 % over 10 s (6 samples)"),
            List.of()),
        Arguments.of(
            "memory-pressure",
            new HostSim(8, 2).gpus(30).cpu(20, 1).disk(5).ram(3).swap(8 * 1024 * 1024),
            steady(),
            List.of(
                "memory-pressure: RAM available 3 % ≤ 5 %, swap in+out 8 MiB/s ≥ 4 MiB/s; GPU util avg 30 %, "
                    + "GPU util max 30 %, CPU 20 % (0/8 cores ≥ 90 %), iowait 1 %, busiest disk 5 % over 10 s "
                    + "(6 samples)"),
            List.of()),
        Arguments.of(
            "balanced",
            new HostSim(8, 2).gpus(60).cpu(40, 1).disk(5),
            steady(),
            List.of(
                "balanced: no rule fired; GPU util avg 60 %, GPU util max 60 %, CPU 40 % (0/8 cores ≥ 90 %), "
                    + "iowait 1 %, busiest disk 5 %, RAM available 50 % over 10 s (6 samples)"),
            List.of()),
        Arguments.of(
            "idle",
            new HostSim(8, 2).gpus(0).cpu(2, 0).disk(0),
            steady(),
            List.of(
                "idle: GPU util avg 0 % ≤ 5 %, CPU 2 % ≤ 10 % (0/8 cores ≥ 90 %), busiest disk 0 % ≤ 10 %; "
                    + "GPU util max 0 %, iowait 0 %, RAM available 50 % over 10 s (6 samples)"),
            List.of()),
        Arguments.of(
            "underutilized",
            new HostSim(8, 2).gpus(20).cpu(40, 1).disk(5),
            steady(),
            List.of(
                "underutilized: GPU util avg 20 % ≤ 40 %; GPU util max 20 %, CPU 40 % (0/8 cores ≥ 90 %), "
                    + "iowait 1 %, busiest disk 5 %, RAM available 50 % over 10 s (6 samples)"),
            List.of()),
        Arguments.of(
            "mixed-cpu-io",
            new HostSim(8, 2).gpus(30).cpu(90, 8).disk(95),
            steady(),
            List.of(
                "mixed-cpu-io: CPU 90 % ≥ 85 % (8/8 cores ≥ 90 %), busiest disk 95 % ≥ 90 %; GPU util avg "
                    + "30 %, GPU util max 30 %, iowait 8 %, RAM available 50 % over 10 s (6 samples)"),
            List.of()),
        Arguments.of(
            "no GPUs: idle",
            new HostSim(8, 0).cpu(2, 0).disk(1),
            steady(),
            List.of(
                "idle: CPU 2 % ≤ 10 % (0/8 cores ≥ 90 %), busiest disk 1 % ≤ 10 %; iowait 0 %, "
                    + "RAM available 50 % over 10 s (6 samples)"),
            List.of()),
        Arguments.of(
            "no GPUs: cpu-bound",
            new HostSim(8, 0).cpu(95, 0).disk(1),
            steady(),
            List.of(
                "cpu-bound: CPU 95 % ≥ 85 % (8/8 cores ≥ 90 %); iowait 0 %, busiest disk 1 %, "
                    + "RAM available 50 % over 10 s (6 samples)"),
            List.of()),
        Arguments.of(
            "no GPUs: balanced",
            new HostSim(8, 0).cpu(40, 0).disk(1),
            steady(),
            List.of(
                "balanced: no rule fired; CPU 40 % (0/8 cores ≥ 90 %), iowait 0 %, busiest disk 1 %, "
                    + "RAM available 50 % over 10 s (6 samples)"),
            List.of()),
        Arguments.of(
            "no GPUs: io-bound",
            new HostSim(8, 0).cpu(10, 25).disk(60),
            steady(),
            List.of(
                "io-bound: iowait 25 % ≥ 10 %; CPU 10 % (0/8 cores ≥ 90 %), busiest disk 60 %, "
                    + "RAM available 50 % over 10 s (6 samples)"),
            List.of()),
        // GPU 1 reports a thermal slowdown beside the benign gpu_idle; GPU 0 only the benign
        // applications_clocks_setting, which is no throttling.
        Arguments.of(
            "flag: gpu-throttled",
            new HostSim(8, 2)
                .gpus(95)
                .cpu(40, 1)
                .disk(10)
                .clockReasons(0, List.of("applications_clocks_setting"))
                .clockReasons(1, List.of("gpu_idle", "sw_thermal_slowdown")),
            steady(),
            List.of(
                "gpu-bound: GPU util avg 95 % ≥ 80 %; GPU util max 95 %, CPU 40 % (0/8 cores ≥ 90 %), "
                    + "iowait 1 %, busiest disk 10 %, RAM available 50 % over 10 s (6 samples)",
                "gpu-throttled:1:sw_thermal_slowdown: in 6 of 6 samples"),
            List.of("gpu-throttled:1:sw_thermal_slowdown")),
        // Over the last 6 samples GPU 0 goes 95, 5, 95, 5, 95, 5 (three collapses) while every core
        // is at 95 %;
        // GPU 1 holds 90 % and is not flagged. GPU avg: (92.5 × 3 + 47.5 × 3) / 6 = 70.
        Arguments.of(
            "flag: gpu-input-starved",
            new HostSim(8, 2).cpu(95, 0).disk(5),
            (Load) (h, i) -> h.gpus(i % 2 == 0 ? 95 : 5, 90),
            List.of(
                "cpu-bound: CPU 95 % ≥ 85 % (8/8 cores ≥ 90 %); GPU util avg 70 %, GPU util max 93 %, "
                    + "iowait 0 %, busiest disk 5 %, RAM available 50 % over 10 s (6 samples)",
                "gpu-input-starved:0: utilization fell from ≥ 70 % to ≤ 20 % 3 times in 10 s while CPU 95 %, "
                    + "iowait 0 %, busiest disk 5 %"),
            List.of("gpu-input-starved:0")),
        // The same collapses with an unhurried host: nothing on the host side to blame, so no flag.
        Arguments.of(
            "no starvation flag without host saturation",
            new HostSim(8, 1).cpu(30, 0).disk(5),
            (Load) (h, i) -> h.gpus(i % 2 == 0 ? 95 : 5),
            List.of(
                "balanced: no rule fired; GPU util avg 50 %, GPU util max 50 %, CPU 30 % (0/8 cores ≥ 90 %), "
                    + "iowait 0 %, busiest disk 5 %, RAM available 50 % over 10 s (6 samples)"),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("labels")
  void labelReasonsAndFlags(
      String name, HostSim host, Load load, List<String> reasons, List<String> flags) {
    List<Bottleneck> seen = run(host, 12, load);
    // The first sample has only gauges: nothing to judge yet.
    assertThat(seen.get(0)).isNull();
    Bottleneck last = seen.get(seen.size() - 1);
    String label = reasons.get(0).substring(0, reasons.get(0).indexOf(':'));
    assertThat(last.label()).isEqualTo(label);
    assertThat(last.reasons()).containsExactlyElementsOf(reasons);
    assertThat(last.flags()).containsExactlyElementsOf(flags);
  }

  @Test
  void aNewLabelMustHoldForAWholeWindow() {
    HostSim h = new HostSim(8, 0).cpu(97, 0).disk(0);
    ServerRates r = rates();
    List<String> labels = new ArrayList<>();
    List<Bottleneck> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      labels.add(label(r.accept(h.next(STEP_MS))));
    }
    h.cpu(2, 0);
    for (int k = 1; k <= 14; k++) {
      Bottleneck b = r.accept(h.next(STEP_MS)).bottleneck();
      all.add(b);
      labels.add(b.label());
    }
    // Samples 1–7 cpu-bound (the first label is taken at once). After the load drops, the window
    // average needs
    // 2 samples to fall under cpu-bound's exit threshold (75 %), then passes through "balanced"
    // territory until
    // all 6 samples are idle (k = 6); "idle" must then be called for 10 s more (k = 11) before it
    // is shown.
    List<String> want = new ArrayList<>();
    want.add(null);
    for (int i = 1; i < 8; i++) {
      want.add("cpu-bound");
    }
    for (int k = 1; k <= 14; k++) {
      want.add(k < 11 ? "cpu-bound" : "idle");
    }
    assertThat(labels).containsExactlyElementsOf(want);
    // k = 3: balanced has been called for 2 s (the window holds 3 saturated samples and 3 idle
    // ones, so on
    // average 4 of 8 cores were saturated); k = 8: idle for 4 s.
    assertThat(all.get(2).reasons())
        .containsExactly(
            "cpu-bound: CPU 50 % < 75 % (4/8 cores ≥ 90 %); iowait 0 %, busiest disk 0 %, RAM available 50 % over "
                + "10 s (6 samples)",
            "balanced pending for 2 s of 10 s");
    assertThat(all.get(7).reasons().get(1)).isEqualTo("idle pending for 4 s of 10 s");
  }

  @Test
  void cpuHoveringAroundTheEnterThresholdDoesNotFlap() {
    HostSim h = new HostSim(8, 0).cpu(60, 0).disk(0);
    ServerRates r = rates();
    for (int i = 0; i < 8; i++) {
      r.accept(h.next(STEP_MS));
    }
    List<String> labels = new ArrayList<>();
    List<Double> window = new ArrayList<>(List.of(60.0, 60.0, 60.0, 60.0, 60.0, 60.0));
    int averageCrossings = 0;
    boolean averageAbove = false;
    for (int i = 0; i < 60; i++) {
      double cpu = 85 + 12 * Math.sin(i * 1.3);
      window.remove(0);
      window.add(cpu);
      boolean above =
          window.stream().mapToDouble(Double::doubleValue).average().orElseThrow() >= 85;
      averageCrossings += above != averageAbove ? 1 : 0;
      averageAbove = above;
      labels.add(r.accept(h.cpu(cpu, 0).next(STEP_MS)).bottleneck().label());
    }
    // Even the 6-sample window average crosses the 85 % enter threshold again and again; only
    // holding a new
    // label for a whole window keeps the label from following it.
    assertThat(averageCrossings).isGreaterThanOrEqualTo(15);
    assertThat(changes(labels)).isLessThanOrEqualTo(1);
    assertThat(labels).isSubsetOf("balanced", "cpu-bound");
  }

  @Test
  void cpuHoveringBetweenExitAndEnterKeepsTheLabel() {
    HostSim h = new HostSim(8, 0).cpu(97, 0).disk(0);
    ServerRates r = rates();
    for (int i = 0; i < 8; i++) {
      r.accept(h.next(STEP_MS));
    }
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      // Between 72 and 88 per sample: every window average sits above the 75 % exit threshold.
      labels.add(r.accept(h.cpu(80 + 8 * Math.sin(i * 1.3), 0).next(STEP_MS)).bottleneck().label());
    }
    assertThat(labels).containsOnly("cpu-bound");
  }

  @Test
  void rebootStartsAFreshWindowAndLabel() {
    HostSim h = new HostSim(8, 1).gpus(95).cpu(40, 0).disk(0);
    ServerRates r = rates();
    for (int i = 0; i < 8; i++) {
      r.accept(h.next(STEP_MS));
    }
    h.reboot("boot-b").gpus(0).cpu(2, 0);
    DerivedSnapshot afterBoot = r.accept(h.next(STEP_MS));
    assertThat(afterBoot.intervalS()).isNull();
    assertThat(afterBoot.bottleneck()).isNull();
    // The old gpu-bound life is forgotten: the first judged sample of the new boot is labelled at
    // once.
    assertThat(r.accept(h.next(STEP_MS)).bottleneck().label()).isEqualTo("idle");
  }

  @Test
  void staleSampleRepeatsTheLastVerdictWithoutMovingTheWindow() {
    HostSim h = new HostSim(8, 1).gpus(95).cpu(40, 0).disk(0);
    ServerRates r = rates();
    List<RawSample> sent = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      sent.add(h.next(STEP_MS));
    }
    Bottleneck last = null;
    for (var s : sent) {
      last = r.accept(s).bottleneck();
    }
    DerivedSnapshot replay = r.accept(sent.get(3));
    assertThat(replay.intervalS()).isNull();
    assertThat(replay.bottleneck()).isEqualTo(last);
  }

  private static String label(DerivedSnapshot d) {
    return d.bottleneck() == null ? null : d.bottleneck().label();
  }

  private static int changes(List<String> labels) {
    int n = 0;
    for (int i = 1; i < labels.size(); i++) {
      n += labels.get(i).equals(labels.get(i - 1)) ? 0 : 1;
    }
    return n;
  }
}
