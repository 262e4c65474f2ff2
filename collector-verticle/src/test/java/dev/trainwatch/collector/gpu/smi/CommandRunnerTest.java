package dev.trainwatch.collector.gpu.smi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
  @Test
  void mergesStderrAndKeepsTheExitStatus() throws Exception {
    CommandRunner.Result r =
        new CommandRunner(10_000).run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"));
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.timedOut()).isFalse();
    assertThat(r.ok()).isFalse();
    assertThat(r.output()).contains("out").contains("err");
    assertThat(r.firstLine()).isIn("out", "err");
  }

  @Test
  void aHungCommandIsKilledAtTheTimeout() throws Exception {
    long t0 = System.nanoTime();
    CommandRunner.Result r =
        new CommandRunner(300).run(List.of("sh", "-c", "echo started; exec sleep 30"));
    long tookMillis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.timedOut()).isTrue();
    assertThat(r.ok()).isFalse();
    assertThat(r.output()).startsWith("started");
    assertThat(tookMillis).isLessThan(10_000);
  }
}
