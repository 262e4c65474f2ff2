package dev.trainwatch.rates.calc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Asserts an optional figure: null expected means absent, anything else must match to 1e-9
 * relative.
 */
final class Expect {
  private Expect() {}

  static void close(String what, Double actual, Double expected) {
    if (expected == null) {
      assertThat(actual).as(what).isNull();
    } else {
      assertThat(actual).as(what).isNotNull();
      assertThat(actual)
          .as(what)
          .isCloseTo(expected, within(Math.max(1e-9, Math.abs(expected) * 1e-9)));
    }
  }
}
