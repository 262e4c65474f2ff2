package dev.trainwatch.ingest;

import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.raw.RawSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Which sample times ingest takes: no older than raw history is kept (it would be stored only to be
 * dropped, or land in a partition retention has already removed) and no more than {@link #AHEAD} in
 * the future (a wrong clock, or a forged date that would create a partition per distinct far day).
 * A batch with one snapshot outside is refused whole, naming it, before anything is stored.
 */
final class TsWindow {
  /** Clock skew tolerated for an agent ahead of the server. */
  static final Duration AHEAD = Duration.ofMinutes(10);

  private final Duration maxAge;

  TsWindow(Duration maxAge) {
    this.maxAge = maxAge;
  }

  void check(List<RawSnapshot> snapshots, boolean batch, Instant now) {
    Instant oldest = now.minus(maxAge);
    Instant newest = now.plus(AHEAD);
    for (int i = 0; i < snapshots.size(); i++) {
      Instant ts = snapshots.get(i).ts();
      if (ts.isBefore(oldest) || ts.isAfter(newest)) {
        throw new InvalidPayloadException(
            batch ? "snapshots[" + i + "].ts" : "ts",
            "must be within "
                + maxAge.toDays()
                + " days before and "
                + AHEAD.toMinutes()
                + " minutes after the server's clock ("
                + Json.ts(now)
                + ")");
      }
    }
  }
}
