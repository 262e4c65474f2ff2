package dev.trainwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.bus.raw.RawSnapshot;
import io.vertx.core.buffer.Buffer;

/**
 * The ingest payload reader under Jazzer. In `scripts/test` it replays the committed corpus
 * (IngestPayloadFuzzTestInputs, plus every input a past fuzzing run found interesting); with {@code
 * JAZZER_FUZZ=1} it fuzzes for real. Any body either parses or is a client error (not JSON, or
 * invalid naming a field): nothing else may escape, since anything else would be a 5xx.
 */
class IngestPayloadFuzzTest {
  @FuzzTest(maxDuration = "2m")
  void readThrowsOnlyClientErrors(byte[] body) {
    IngestPayload.Parsed parsed;
    try {
      parsed = IngestPayload.read(Buffer.buffer(body));
    } catch (IngestPayload.NotJson | InvalidPayloadException expected) {
      return;
    }
    assertThat(parsed.snapshots()).isNotEmpty();
    for (RawSnapshot s : parsed.snapshots()) {
      assertThat(s.ts()).isNotNull();
      assertThat(s.agent()).isNotNull();
      // What was accepted survives the trip to the next verticle (the bus carries it as this JSON).
      assertThat(RawSnapshot.fromJson(s.toJson()).toJson()).isEqualTo(s.toJson());
    }
  }
}
