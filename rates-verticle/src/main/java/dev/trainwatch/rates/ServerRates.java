package dev.trainwatch.rates;

import dev.trainwatch.bus.derived.AgentSeen;
import dev.trainwatch.bus.derived.Bottleneck;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.raw.AgentInfo;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.bus.raw.RawSnapshot;
import dev.trainwatch.rates.bottleneck.BottleneckClassifier;
import dev.trainwatch.rates.calc.Cadence;
import dev.trainwatch.rates.calc.Figures;
import dev.trainwatch.rates.calc.Interval;
import dev.trainwatch.rates.calc.RateCalculator;
import dev.trainwatch.rates.calc.RateStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-server rate state: the previous raw sample and the classifier window. Not thread-safe; one
 * owner.
 */
public final class ServerRates {
  private final String server;
  private final Cadence cadence;
  private final BottleneckClassifier classifier;
  private final RateStats stats = new RateStats();

  /** The sample the next interval is measured from. */
  private RawSnapshot reference;

  /**
   * The newest sample storage is known to have: where the reference goes back to when a store
   * fails.
   */
  private RawSnapshot durable;

  /**
   * The highest seq published live per boot, for the last few boots: an agent replaying its spool
   * after a reboot interleaves the old boot's samples with the new one's, so one boot's high-water
   * mark is not enough.
   */
  private final Map<String, Long> liveSeq =
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > LIVE_BOOTS;
        }
      };

  private static final int LIVE_BOOTS = 4;

  public ServerRates(String server, Duration nominalInterval, Duration bottleneckWindow) {
    this.server = Objects.requireNonNull(server, "server");
    this.cadence = new Cadence(nominalInterval.toMillis());
    this.classifier = new BottleneckClassifier(bottleneckWindow);
  }

  /**
   * Derives the snapshot for this sample from the previous one, then remembers it. Pure arithmetic,
   * no I/O.
   */
  public DerivedSnapshot accept(RawSample sample) {
    if (!server.equals(sample.server())) {
      // Mixing two servers' counters would yield plausible-looking garbage rates; fail loudly
      // instead.
      throw new IllegalArgumentException(
          "sample for " + sample.server() + " given to the rate state of " + server);
    }
    RawSnapshot cur = sample.snapshot();
    AgentInfo agent = cur.agent();
    Interval interval = Interval.between(reference, cur, cadence.nominalMs());
    Figures f =
        RateCalculator.compute(interval.hasRates() ? reference : null, cur, interval.dtMs(), stats);
    Bottleneck bottleneck =
        switch (interval.kind()) {
          case FIRST, RESET -> {
            classifier.reset();
            yield classifier.observe(agent.uptimeMs(), false, f);
          }
          // Neither may move the window: a stale sample is from the past, and a sample without
          // elapsed time has no
          // place on the time axis.
          case STALE, NO_TIME -> classifier.current();
          case NORMAL -> {
            cadence.record(interval.dtMs());
            yield classifier.observe(agent.uptimeMs(), true, f);
          }
        };
    if (interval.advances()) {
      reference = cur;
    }
    return new DerivedSnapshot(
        sample.server(),
        cur.ts(),
        agent.bootId(),
        agent.seq(),
        interval.seconds(),
        interval.gap(),
        new AgentSeen(agent.version(), agent.hostname(), agent.labels(), sample.sourceIp()),
        f.cpu(),
        f.memory(),
        f.disk(),
        f.network(),
        f.gpus(),
        f.gpuRollup(),
        bottleneck,
        cur.gpuProcesses() == null ? List.of() : cur.gpuProcesses());
  }

  /**
   * Whether {@code sample} is new to the live view, the highest seq of its boot so far, and so may
   * be published before storage commits it (issue 17); it is then recorded as published. A sample
   * at or below the mark is a resend (a lost acknowledgement, a replay after a failed store): only
   * storage knows whether it is a duplicate, so it is published after the commit, if at all.
   */
  public boolean claimLive(RawSample sample) {
    AgentInfo agent = sample.snapshot().agent();
    Long mark = liveSeq.get(agent.bootId());
    if (mark != null && agent.seq() <= mark) {
      return false;
    }
    liveSeq.put(agent.bootId(), agent.seq());
    return true;
  }

  /**
   * Storage has {@code sample} (stored now, or before: a duplicate). It becomes the durable
   * reference, the point {@link #storeFailed()} rolls back to, if it is the newest stored one of
   * its boot.
   */
  public void stored(RawSample sample) {
    RawSnapshot s = sample.snapshot();
    if (durable == null
        || !durable.agent().bootId().equals(s.agent().bootId())
        || s.agent().seq() > durable.agent().seq()) {
      durable = s;
    }
  }

  /**
   * Storage did not take a sample derived from the current reference. Rate state moved on when it
   * was derived, but the sample will come back (the agent keeps it and replays it, from its last
   * acknowledged one): measure from the last stored sample again, so the replay gets its rates
   * instead of being treated as stale (issue 13).
   */
  public void storeFailed() {
    if (durable != null
        && reference != null
        && durable.agent().bootId().equals(reference.agent().bootId())) {
      reference = durable;
    }
  }

  /** Counts of values clamped to physical bounds since creation (for self-metrics). */
  public long clampedCount() {
    return stats.clampedCount();
  }

  /** Counter decreases taken as 32- or 64-bit wraps since creation (for self-metrics). */
  public long wrapCount() {
    return stats.wrap32Count() + stats.wrap64Count();
  }

  /**
   * Counter decreases taken as resets, whose rate was left out, since creation (for self-metrics).
   */
  public long counterResetCount() {
    return stats.resetCount();
  }
}
