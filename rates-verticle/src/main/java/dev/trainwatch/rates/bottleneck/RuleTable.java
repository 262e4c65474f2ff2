package dev.trainwatch.rates.bottleneck;

import static dev.trainwatch.rates.bottleneck.Signal.CPU_IOWAIT;
import static dev.trainwatch.rates.bottleneck.Signal.CPU_UTIL;
import static dev.trainwatch.rates.bottleneck.Signal.DISK_UTIL_MAX;
import static dev.trainwatch.rates.bottleneck.Signal.GPU_UTIL_AVG;
import static dev.trainwatch.rates.bottleneck.Signal.PSI_IO_SOME;
import static dev.trainwatch.rates.bottleneck.Signal.PSI_MEMORY_SOME;
import static dev.trainwatch.rates.bottleneck.Signal.RAM_AVAILABLE;
import static dev.trainwatch.rates.bottleneck.Signal.SWAP_IO;
import static dev.trainwatch.rates.bottleneck.Threshold.atLeast;
import static dev.trainwatch.rates.bottleneck.Threshold.atMost;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The bottleneck rules, every threshold, and how rules combine into a label: the single place to
 * tune the classifier ({@code docs/bottleneck.md} mirrors it; keep both in step).
 *
 * <p>Precedence, first match wins: {@code gpu-bound} (a saturated GPU is the bottleneck we want,
 * whatever the host does); then the host-pressure rules {@code cpu}, {@code io}, {@code memory},
 * one firing giving its own label and several giving {@code mixed-a-b}; then {@code idle}; then
 * {@code underutilized} (GPUs present, low, and no host resource to blame); else {@code balanced}.
 */
public final class RuleTable {
  /** A core this busy counts as saturated in reasons ("32/32 cores"). */
  public static final double SATURATED_CORE_PERCENT = 90;

  /** Input starvation: a GPU's utilization falling from at least this… */
  public static final double STARVED_HIGH_PERCENT = 70;

  /** …to at most this… */
  public static final double STARVED_LOW_PERCENT = 20;

  /** …this many times within the window, while CPU or IO holds at its exit threshold. */
  public static final int STARVED_MIN_DROPS = 3;

  /**
   * Clock-event reasons that are not throttling: an idle GPU drops its clocks by design, and
   * application clocks are an operator's choice. Every other reason (power cap, thermal, HW
   * slowdown, power brake, sync boost…) is flagged.
   */
  public static final Set<String> BENIGN_CLOCK_REASONS =
      Set.of("gpu_idle", "applications_clocks_setting");

  private static final double MIB = 1024 * 1024;

  private RuleTable() {}

  public enum Match {
    ANY,
    ALL
  }

  public enum Rule {
    GPU_BOUND("gpu-bound", null, Match.ANY, atLeast(GPU_UTIL_AVG, 80, 70)),
    CPU_BOUND("cpu-bound", "cpu", Match.ANY, atLeast(CPU_UTIL, 85, 75)),
    IO_BOUND(
        "io-bound",
        "io",
        Match.ANY,
        atLeast(CPU_IOWAIT, 10, 6),
        atLeast(DISK_UTIL_MAX, 90, 75),
        atLeast(PSI_IO_SOME, 20, 10)),
    MEMORY_PRESSURE(
        "memory-pressure",
        "memory",
        Match.ANY,
        atMost(RAM_AVAILABLE, 5, 8),
        atLeast(SWAP_IO, 4 * MIB, 1 * MIB),
        atLeast(PSI_MEMORY_SOME, 10, 5)),
    IDLE(
        "idle",
        null,
        Match.ALL,
        atMost(GPU_UTIL_AVG, 5, 10),
        atMost(CPU_UTIL, 10, 15),
        atMost(DISK_UTIL_MAX, 10, 15)),
    UNDERUTILIZED("underutilized", null, Match.ALL, atMost(GPU_UTIL_AVG, 40, 50));

    public final String label;

    /** The name this rule takes inside a {@code mixed-*} label; null when it never mixes. */
    public final String part;

    public final Match match;
    public final List<Threshold> clauses;

    Rule(String label, String part, Match match, Threshold... clauses) {
      this.label = label;
      this.part = part;
      this.match = match;
      this.clauses = List.of(clauses);
    }

    /**
     * Whether the rule fires on the window averages. An absent signal is no evidence either way:
     * ANY needs one present clause to hold, ALL needs every present clause to hold and at least one
     * present (a host without GPUs can be idle on CPU and disk alone).
     */
    public boolean holds(Averages a, boolean staying) {
      int present = 0;
      for (Threshold t : clauses) {
        double v = a.get(t.signal());
        if (Double.isNaN(v)) {
          continue;
        }
        present++;
        boolean h = t.holds(v, staying);
        if (match == Match.ANY && h) {
          return true;
        }
        if (match == Match.ALL && !h) {
          return false;
        }
      }
      return match == Match.ALL && present > 0;
    }
  }

  /** Host-pressure rules in the order their parts appear in a {@code mixed-*} label. */
  static final List<Rule> PRESSURE = List.of(Rule.CPU_BOUND, Rule.IO_BOUND, Rule.MEMORY_PRESSURE);

  public static final Label BALANCED = new Label("balanced", EnumSet.noneOf(Rule.class));
  private static final Label[] BY_PRESSURE = pressureLabels();

  /**
   * The label the averages call for, judging the current label's own rules by their exit
   * thresholds.
   */
  public static Label decide(Averages a, Label current) {
    Set<Rule> staying = current == null ? Set.of() : current.rules();
    boolean gpus = !Double.isNaN(a.get(GPU_UTIL_AVG));
    if (gpus && Rule.GPU_BOUND.holds(a, staying.contains(Rule.GPU_BOUND))) {
      return Label.of(Rule.GPU_BOUND);
    }
    int hot = 0;
    for (int i = 0; i < PRESSURE.size(); i++) {
      Rule r = PRESSURE.get(i);
      if (r.holds(a, staying.contains(r))) {
        hot |= 1 << i;
      }
    }
    if (hot != 0) {
      return BY_PRESSURE[hot];
    }
    if (Rule.IDLE.holds(a, staying.contains(Rule.IDLE))) {
      return Label.of(Rule.IDLE);
    }
    if (gpus && Rule.UNDERUTILIZED.holds(a, staying.contains(Rule.UNDERUTILIZED))) {
      return Label.of(Rule.UNDERUTILIZED);
    }
    return BALANCED;
  }

  /**
   * Whether the host side could be what starves a GPU: CPU or IO holds at least at its exit
   * threshold.
   */
  static boolean hostSaturated(Averages a) {
    return Rule.CPU_BOUND.holds(a, true) || Rule.IO_BOUND.holds(a, true);
  }

  private static Label[] pressureLabels() {
    Label[] out = new Label[1 << PRESSURE.size()];
    for (int mask = 1; mask < out.length; mask++) {
      EnumSet<Rule> rules = EnumSet.noneOf(Rule.class);
      StringBuilder name = new StringBuilder("mixed");
      for (int i = 0; i < PRESSURE.size(); i++) {
        if ((mask & (1 << i)) != 0) {
          rules.add(PRESSURE.get(i));
          name.append('-').append(PRESSURE.get(i).part);
        }
      }
      out[mask] =
          rules.size() == 1 ? Label.of(rules.iterator().next()) : new Label(name.toString(), rules);
    }
    return out;
  }
}
