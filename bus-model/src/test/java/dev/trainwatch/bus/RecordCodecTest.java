package dev.trainwatch.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.bus.raw.RawSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RecordCodecTest {

  @Test
  void locallyTheRecordItselfIsDelivered(Vertx vertx, VertxTestContext ctx) {
    RecordCodec.registerAll(vertx);
    RecordCodec.registerAll(vertx); // idempotent: every verticle calls it
    RawSample sent =
        new RawSample("box", "10.0.0.1", RawSnapshot.fromJson(Samples.agentSnapshot()));
    vertx
        .eventBus()
        .consumer(
            "t",
            m -> {
              ctx.verify(() -> assertThat(m.body()).isSameAs(sent));
              ctx.completeNow();
            });
    vertx.eventBus().send("t", sent);
  }

  @Test
  void onTheWireItIsTheRecordsJson() {
    DerivedSnapshot d = DerivedSnapshotTest.sample();
    RecordCodec<DerivedSnapshot> codec =
        new RecordCodec<>(
            DerivedSnapshot.class, DerivedSnapshot::toJson, DerivedSnapshot::fromJson);
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, d);
    assertThat(new JsonObject(wire.getBuffer(10, wire.length()))).isEqualTo(d.toJson());
    assertThat(codec.decodeFromWire(6, wire).toJson()).isEqualTo(d.toJson());
    assertThat(codec.transform(d)).isSameAs(d);
  }

  @Test
  void aRawSampleIsReadStraightFromTheWireBytes() {
    RawSample sent =
        new RawSample("box", "10.0.0.1", RawSnapshot.fromJson(Samples.agentSnapshot()));
    RecordCodec<RawSample> codec =
        RecordCodec.readingBytes(RawSample.class, RawSample::toJson, RawSample::fromJson);
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, sent);
    RawSample got = codec.decodeFromWire(6, wire);
    assertThat(got.toJson()).isEqualTo(sent.toJson());
    assertThat(Long.toUnsignedString(got.snapshot().cpu().ticks()[1][0]))
        .isEqualTo("18446744073709551615");
  }
}
