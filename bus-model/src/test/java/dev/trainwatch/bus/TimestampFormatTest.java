package dev.trainwatch.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.raw.RawSnapshot;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** CONTRACT.md: `ts` is RFC 3339 UTC with milliseconds, e.g. 2026-11-22T06:00:00.123Z. */
class TimestampFormatTest {
  @Test
  void alwaysThreeFractionDigits() {
    assertThat(Json.ts(Instant.parse("2026-11-22T06:00:00Z")))
        .isEqualTo("2026-11-22T06:00:00.000Z");
    assertThat(Json.ts(Instant.parse("2026-11-22T06:00:00.120Z")))
        .isEqualTo("2026-11-22T06:00:00.120Z");
    // Linux clocks give microseconds; the contract's precision is the millisecond.
    assertThat(Json.ts(Instant.parse("2026-11-22T06:00:00.123456Z")))
        .isEqualTo("2026-11-22T06:00:00.123Z");
  }

  @Test
  void snapshotsCarryIt() {
    var d = DerivedSnapshotTest.sample();
    assertThat(d.toJson().getString("ts")).isEqualTo("2026-11-22T06:00:00.123Z");
    var raw = RawSnapshot.fromJson(Samples.agentSnapshot().put("ts", "2026-11-22T06:00:00Z"));
    assertThat(raw.toJson().getString("ts")).isEqualTo("2026-11-22T06:00:00.000Z");
  }
}
