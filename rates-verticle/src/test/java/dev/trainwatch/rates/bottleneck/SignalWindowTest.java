package dev.trainwatch.rates.bottleneck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Issue 13: the window is bounded in samples, not only in the agent's (agent-controlled) time. */
class SignalWindowTest {
  static WindowSample at(long uptimeMs) {
    double[] signals = new double[Signal.ALL.length];
    Arrays.fill(signals, 50.0);
    return new WindowSample(uptimeMs, true, signals, new GpuSample[0]);
  }

  @Test
  void samplesOneMillisecondApartCannotPileUp() {
    SignalWindow w = new SignalWindow(10_000);
    for (long t = 1; t <= 10_000; t++) {
      w.add(at(t));
    }
    // 10 s / 250 ms + 8: room for honest 0.5 s sampling with jitter, nothing like the 10,000 sent.
    assertThat(w.size()).isEqualTo(48);
    assertThat(w.newest().uptimeMs()).isEqualTo(10_000);
    assertThat(w.averages().samples()).isEqualTo(48);
  }

  @Test
  void honestSamplingKeepsTheWholeWindow() {
    SignalWindow w = new SignalWindow(10_000);
    for (long t = 0; t <= 60_000; t += 500) {
      w.add(at(t));
    }
    assertThat(w.size()).as("10 s at 0.5 s, both ends").isEqualTo(21);
  }
}
