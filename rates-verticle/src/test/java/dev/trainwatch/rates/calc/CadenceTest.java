package dev.trainwatch.rates.calc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CadenceTest {

  @Test
  void configuredUntilIntervalsAreSeen() {
    assertThat(new Cadence(1000).nominalMs()).isEqualTo(1000);
  }

  @Test
  void medianOfRecentIntervalsButNeverBelowConfigured() {
    Cadence c = new Cadence(1000);
    c.record(2000);
    c.record(2100);
    c.record(60_000);
    // Median of 2,000 / 2,100 / 60,000: the outage does not stretch the cadence.
    assertThat(c.nominalMs()).isEqualTo(2100);

    Cadence fast = new Cadence(1000);
    fast.record(500);
    fast.record(500);
    assertThat(fast.nominalMs()).isEqualTo(1000);
  }

  @Test
  void onlyTheLastEightCount() {
    Cadence c = new Cadence(1000);
    for (int i = 0; i < 8; i++) {
      c.record(10_000);
    }
    for (int i = 0; i < 8; i++) {
      c.record(2000);
    }
    assertThat(c.nominalMs()).isEqualTo(2000);
  }
}
