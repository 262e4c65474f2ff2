package dev.trainwatch.rates.bottleneck;

/**
 * One clause of a rule. The exit threshold is looser than the enter one, so a label that has been
 * entered survives a signal that hovers around the enter threshold (hysteresis).
 */
public record Threshold(Signal signal, Op op, double enter, double exit) {

  public enum Op {
    AT_LEAST("≥", "<"),
    AT_MOST("≤", ">");

    final String holds;
    final String fails;

    Op(String holds, String fails) {
      this.holds = holds;
      this.fails = fails;
    }
  }

  public Threshold {
    boolean looser = op == Op.AT_LEAST ? exit <= enter : exit >= enter;
    if (!looser) {
      throw new IllegalArgumentException(
          signal + ": the exit threshold must be looser than the enter one");
    }
  }

  static Threshold atLeast(Signal s, double enter, double exit) {
    return new Threshold(s, Op.AT_LEAST, enter, exit);
  }

  static Threshold atMost(Signal s, double enter, double exit) {
    return new Threshold(s, Op.AT_MOST, enter, exit);
  }

  /**
   * @param staying the clause belongs to the current label, so the exit threshold applies
   */
  public boolean holds(double value, boolean staying) {
    double limit = staying ? exit : enter;
    return op == Op.AT_LEAST ? value >= limit : value <= limit;
  }
}
