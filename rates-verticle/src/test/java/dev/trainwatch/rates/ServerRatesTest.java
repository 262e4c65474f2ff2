package dev.trainwatch.rates;

import static dev.trainwatch.rates.Raw.disk;
import static dev.trainwatch.rates.Raw.gpu;
import static dev.trainwatch.rates.Raw.nic;
import static dev.trainwatch.rates.Raw.ticks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.RawSample;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServerRatesTest {
  private static final Duration NOMINAL = Duration.ofSeconds(1);
  private static final Duration WINDOW = Duration.ofSeconds(10);

  /**
   * A sample whose counters are {@code k} times a unit step: disk +1,000,000 read bytes, NIC +2,000
   * rx bytes, GPU +500,000 mJ and every core +900 user / +100 idle ticks per step. Over 1 s that is
   * 1 MB/s, 2 kB/s, 500 W and 90 % busy.
   */
  private static Raw step(long seq, long uptimeMs, long k) {
    return Raw.at(seq, uptimeMs)
        .cpu(ticks(900 * k, 0, 0, 100 * k, 0, 0, 0, 0), ticks(900 * k, 0, 0, 100 * k, 0, 0, 0, 0))
        .memory(Raw.memory(64L << 30, 32L << 30, 0, 0))
        .disk(disk("sda", 1_000_000 * k, 0, 10 * k, 0, 100 * k))
        .nic(nic("eth0", 2_000 * k, 0, 0L, 0L))
        .gpu(gpu(0, "GPU-A", 77.0, 500_000 * k));
  }

  /** What one derived snapshot must show; null means "absent". */
  record Want(
      Double intervalS, boolean gap, Double cpu, Double diskRead, Double nicDown, Double gpuPower) {
    static Want none() {
      return new Want(null, false, null, null, null, null);
    }
  }

  static Stream<Arguments> sequences() {
    return Stream.of(
        Arguments.of(
            "normal 1 s intervals",
            List.of(step(1, 10_000, 1), step(2, 11_000, 2), step(3, 12_000, 3)),
            List.of(
                Want.none(),
                new Want(1.0, false, 90.0, 1e6, 2e3, 500.0),
                new Want(1.0, false, 90.0, 1e6, 2e3, 500.0))),
        // 2.5 s for one step's worth of counters: 400 kB/s, 800 B/s, 200 W; CPU shares do not
        // depend on Δt.
        Arguments.of(
            "irregular interval",
            List.of(step(1, 10_000, 1), step(2, 12_500, 2), step(3, 12_750, 3)),
            List.of(
                Want.none(),
                new Want(2.5, false, 90.0, 4e5, 800.0, 200.0),
                new Want(0.25, false, 90.0, 4e6, 8e3, 2000.0))),
        Arguments.of(
            "boot_id change: no rates, gauges kept",
            List.of(
                step(1, 10_000, 5),
                step(2, 11_000, 6).boot("boot-b"),
                step(3, 12_000, 7).boot("boot-b")),
            List.of(Want.none(), Want.none(), new Want(1.0, false, 90.0, 1e6, 2e3, 500.0))),
        // seq 2 arrives after seq 3: no rates for it, and seq 4 is measured from seq 3, not from
        // the late one.
        Arguments.of(
            "out-of-order seq",
            List.of(step(1, 10_000, 1), step(3, 12_000, 3), step(2, 11_000, 2), step(4, 13_000, 4)),
            List.of(
                Want.none(),
                new Want(2.0, false, 90.0, 1e6, 2e3, 500.0),
                Want.none(),
                new Want(1.0, false, 90.0, 1e6, 2e3, 500.0))),
        Arguments.of(
            "duplicate seq",
            List.of(step(1, 10_000, 1), step(2, 11_000, 2), step(2, 11_000, 2), step(3, 12_000, 3)),
            List.of(
                Want.none(),
                new Want(1.0, false, 90.0, 1e6, 2e3, 500.0),
                Want.none(),
                new Want(1.0, false, 90.0, 1e6, 2e3, 500.0))),
        // 5 s > 3 × 1 s: marked as a gap, rates averaged over it (5 steps of counters in 5 s).
        Arguments.of(
            "gap",
            List.of(step(1, 10_000, 1), step(2, 15_000, 6)),
            List.of(Want.none(), new Want(5.0, true, 90.0, 1e6, 2e3, 500.0))),
        Arguments.of(
            "exactly 3× nominal is no gap",
            List.of(step(1, 10_000, 1), step(2, 13_000, 4)),
            List.of(Want.none(), new Want(3.0, false, 90.0, 1e6, 2e3, 500.0))),
        // An agent sampling every 5 s against a 1 s nominal interval: its first interval is judged
        // by the
        // configured 1 s (a gap), later ones by its own cadence; a 20 s outage is still a gap.
        Arguments.of(
            "gaps judged by the agent's own cadence",
            List.of(
                step(1, 10_000, 1),
                step(2, 15_000, 6),
                step(3, 20_000, 11),
                step(4, 25_000, 16),
                step(5, 45_000, 36)),
            List.of(
                Want.none(),
                new Want(5.0, true, 90.0, 1e6, 2e3, 500.0),
                new Want(5.0, false, 90.0, 1e6, 2e3, 500.0),
                new Want(5.0, false, 90.0, 1e6, 2e3, 500.0),
                new Want(20.0, true, 90.0, 1e6, 2e3, 500.0))),
        // Newer seq but uptime did not advance: no rates; it becomes the reference so the next
        // interval
        // (+1 s, one step) is measured from it.
        Arguments.of(
            "no elapsed time",
            List.of(step(1, 10_000, 1), step(2, 10_000, 2), step(3, 11_000, 3)),
            List.of(Want.none(), Want.none(), new Want(1.0, false, 90.0, 1e6, 2e3, 500.0))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sequences")
  void intervalsAndRates(String name, List<Raw> samples, List<Want> wants) {
    ServerRates rates = new ServerRates("gpu-box-01", NOMINAL, WINDOW);
    for (int i = 0; i < samples.size(); i++) {
      DerivedSnapshot d = rates.accept(samples.get(i).sample());
      Want w = wants.get(i);
      String at = name + " sample " + i;
      close(at + " interval", d.intervalS(), w.intervalS());
      assertThat(d.gap()).as(at + " gap").isEqualTo(w.gap());
      close(at + " cpu", d.cpu().utilization(), w.cpu());
      close(at + " disk", d.disk().disks().get(0).readRate(), w.diskRead());
      close(at + " disk sum", d.disk().readRate(), w.diskRead());
      close(at + " nic", d.network().downloadRate(), w.nicDown());
      close(at + " gpu power", d.gpus().get(0).averagePower(), w.gpuPower());
      // Gauges are there whether or not the interval has rates.
      assertThat(d.memory().ramAvailable()).as(at).isEqualTo(32L << 30);
      assertThat(d.gpus().get(0).utilization()).as(at).isCloseTo(77.0, within(1e-9));
      assertThat(d.gpuRollup().utilAvg()).as(at).isCloseTo(77.0, within(1e-9));
      assertThat(d.cpu().loadAvg()).as(at).containsExactly(1.5, 1.0, 0.5);
    }
    assertThat(rates.clampedCount()).isZero();
    assertThat(rates.counterResetCount()).isZero();
  }

  @Test
  void snapshotCarriesIdentityAgentAndProcesses() {
    ServerRates rates = new ServerRates("gpu-box-01", NOMINAL, WINDOW);
    GpuProcess p = new GpuProcess(4242, 0, 1L << 30, "C", "alice", "python train.py", null);
    RawSample s = step(7, 10_000, 1).boot("boot-x").process(p).sample();
    DerivedSnapshot d = rates.accept(s);
    assertThat(d.server()).isEqualTo("gpu-box-01");
    assertThat(d.ts()).isEqualTo(Raw.T0.plusMillis(10_000));
    assertThat(d.bootId()).isEqualTo("boot-x");
    assertThat(d.seq()).isEqualTo(7);
    assertThat(d.agent().version()).isEqualTo("0.1.0");
    assertThat(d.agent().hostname()).isEqualTo("gpu-box-01");
    assertThat(d.agent().labels()).isEqualTo(Map.of("rack", "r1"));
    assertThat(d.agent().ip()).isEqualTo("10.0.0.7");
    assertThat(d.processes()).containsExactly(p);
    assertThat(d.bottleneck()).isNull();
  }

  @Test
  void derivedSnapshotSurvivesTheBusModelsValidation() {
    ServerRates rates = new ServerRates("gpu-box-01", NOMINAL, WINDOW);
    rates.accept(step(1, 10_000, 1).sample());
    DerivedSnapshot d = rates.accept(step(2, 11_000, 2).sample());
    assertThat(d.bottleneck()).isNotNull();
    // The history and gateway verticles read it back through fromJson, which enforces the bounds.
    assertThat(DerivedSnapshot.fromJson(d.toJson()).toJson()).isEqualTo(d.toJson());
  }

  @Test
  void perCoreHiddenButTotalKeptWhenACoreHasNoRate() {
    ServerRates rates = new ServerRates("s", NOMINAL, WINDOW);
    rates.accept(
        new RawSample(
            "s",
            null,
            Raw.at(1, 1000)
                .cpu(ticks(0, 0, 0, 100, 0, 0, 0, 0), ticks(0, 0, 0, 100, 0, 0, 0, 0))
                .snapshot()));
    // Core 1 froze (no tick advanced): it has no share; core 0 was 40 % busy.
    DerivedSnapshot d =
        rates.accept(
            new RawSample(
                "s",
                null,
                Raw.at(2, 2000)
                    .cpu(ticks(400, 0, 0, 700, 0, 0, 0, 0), ticks(0, 0, 0, 100, 0, 0, 0, 0))
                    .snapshot()));
    assertThat(d.cpu().perCore()).isNull();
    assertThat(d.cpu().utilization()).isCloseTo(40.0, within(1e-9));
  }

  @Test
  void clampsAreCountedAcrossSamples() {
    ServerRates rates = new ServerRates("gpu-box-01", NOMINAL, WINDOW);
    rates.accept(
        Raw.at(1, 1000).disk(disk("sda", 0, 0, 0, 0, 0)).gpu(gpu(0, "G", 150.0, null)).sample());
    // 1,500 busy ms in 1,000 ms and a GPU at 150 %: two clamps; the GPU's earlier 150 % made one.
    DerivedSnapshot d =
        rates.accept(
            Raw.at(2, 2000)
                .disk(disk("sda", 0, 0, 0, 0, 1500))
                .gpu(gpu(0, "G", 150.0, null))
                .sample());
    assertThat(d.disk().disks().get(0).utilization()).isCloseTo(100.0, within(1e-9));
    assertThat(d.gpus().get(0).utilization()).isCloseTo(100.0, within(1e-9));
    assertThat(rates.clampedCount()).isEqualTo(3);
  }

  @Test
  void wrapsAndResetsAreCounted() {
    ServerRates rates = new ServerRates("gpu-box-01", NOMINAL, WINDOW);
    rates.accept(Raw.at(1, 1000).disk(disk("sda", 100, 0, 0, 0, (1L << 32) - 10)).sample());
    DerivedSnapshot d = rates.accept(Raw.at(2, 2000).disk(disk("sda", 50, 0, 0, 0, 490)).sample());
    // busy: 2^32 − 10 → 490 is a wrap of +500 ms → 50 %; read bytes 100 → 50 is a reset.
    assertThat(d.disk().disks().get(0).utilization()).isCloseTo(50.0, within(1e-9));
    assertThat(d.disk().disks().get(0).readRate()).isNull();
    assertThat(rates.wrapCount()).isEqualTo(1);
    assertThat(rates.counterResetCount()).isEqualTo(1);
  }

  @Test
  void aSnapshotWithoutSectionsHasNoFiguresAndNoVerdict() {
    ServerRates rates = new ServerRates("gpu-box-01", NOMINAL, WINDOW);
    rates.accept(Raw.at(1, 1000).sample());
    DerivedSnapshot d = rates.accept(Raw.at(2, 2000).sample());
    assertThat(d.intervalS()).isCloseTo(1.0, within(1e-9));
    assertThat(d.cpu()).isNull();
    assertThat(d.memory()).isNull();
    assertThat(d.disk()).isNull();
    assertThat(d.network()).isNull();
    assertThat(d.gpus()).isEmpty();
    assertThat(d.gpuRollup().utilAvg()).isNull();
    assertThat(d.bottleneck()).isNull();
    assertThat(DerivedSnapshot.fromJson(d.toJson()).toJson()).isEqualTo(d.toJson());
  }

  @Test
  void aNanGpuReadingIsLeftOutOfTheRollup() {
    ServerRates rates = new ServerRates("gpu-box-01", NOMINAL, WINDOW);
    DerivedSnapshot d =
        rates.accept(
            Raw.at(1, 1000)
                .gpu(gpu(0, "A", Double.NaN, null))
                .gpu(gpu(1, "B", 40.0, null))
                .sample());
    assertThat(d.gpus().get(0).utilization()).isNull();
    assertThat(d.gpuRollup().utilAvg()).isCloseTo(40.0, within(1e-9));
    assertThat(d.gpuRollup().utilMax()).isCloseTo(40.0, within(1e-9));
    assertThat(rates.clampedCount()).isEqualTo(1);
  }

  @Test
  void refusesAnotherServersSample() {
    ServerRates rates = new ServerRates("other", NOMINAL, WINDOW);
    assertThatThrownBy(() -> rates.accept(step(1, 1000, 1).sample()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void close(String what, Double actual, Double expected) {
    if (expected == null) {
      assertThat(actual).as(what).isNull();
    } else {
      assertThat(actual).as(what).isNotNull();
      assertThat(actual).as(what).isCloseTo(expected, within(Math.abs(expected) * 1e-9));
    }
  }

  /**
   * Issue 13: storage was down for samples 3 and 4 (derived, never stored). The agent replays from
   * its anchor, 2, in one batch; 3 and 4 must be derived with their rates, not as stale.
   */
  @Test
  void aReplayAfterAnOutageGetsItsRatesBack() {
    ServerRates rates = new ServerRates(step(1, 10_000, 1).sample().server(), NOMINAL, WINDOW);
    for (long k = 1; k <= 2; k++) {
      RawSample s = step(k, 9_000 + k * 1000, k).sample();
      rates.accept(s);
      rates.stored(s);
    }
    rates.accept(step(3, 12_000, 3).sample());
    rates.accept(step(4, 13_000, 4).sample());
    rates.storeFailed(); // 3's reply
    rates.storeFailed(); // 4's reply
    // The replayed batch, accepted one after another before any reply comes back.
    DerivedSnapshot anchor = rates.accept(step(2, 11_000, 2).sample());
    DerivedSnapshot three = rates.accept(step(3, 12_000, 3).sample());
    DerivedSnapshot four = rates.accept(step(4, 13_000, 4).sample());
    assertThat(anchor.intervalS()).as("the anchor itself: no elapsed time").isNull();
    assertThat(three.intervalS()).isEqualTo(1.0);
    assertThat(three.cpu().utilization()).isCloseTo(90.0, within(0.01));
    assertThat(four.intervalS()).isEqualTo(1.0);
  }

  @Test
  void aFailedStoreWithNothingStoredYetChangesNothing() {
    ServerRates rates = new ServerRates(step(1, 10_000, 1).sample().server(), NOMINAL, WINDOW);
    rates.accept(step(1, 10_000, 1).sample());
    rates.storeFailed();
    assertThat(rates.accept(step(2, 11_000, 2).sample()).intervalS()).isEqualTo(1.0);
  }

  /**
   * Issue 17: only a sample above its boot's highest seq so far goes live before storage commits
   * it; a resend waits. An agent replaying its spool after a reboot interleaves two boots, each
   * with its own mark.
   */
  @Test
  void onlyASampleAboveItsBootsHighestSeqGoesLiveBeforeStorage() {
    ServerRates rates = new ServerRates("box", NOMINAL, WINDOW);
    assertThat(rates.claimLive(Raw.at(7, 10_000).sample())).as("first of boot-a").isTrue();
    assertThat(rates.claimLive(Raw.at(7, 10_000).sample())).as("resent").isFalse();
    assertThat(rates.claimLive(Raw.at(5, 8_000).sample())).as("older, replayed").isFalse();
    assertThat(rates.claimLive(Raw.at(1, 1_000).boot("boot-b").sample()))
        .as("first of boot-b")
        .isTrue();
    assertThat(rates.claimLive(Raw.at(8, 11_000).sample()))
        .as("boot-a's spool, still new")
        .isTrue();
    assertThat(rates.claimLive(Raw.at(8, 11_000).sample())).isFalse();
    assertThat(rates.claimLive(Raw.at(1, 1_000).boot("boot-b").sample()))
        .as("boot-b kept its own mark")
        .isFalse();
  }
}
