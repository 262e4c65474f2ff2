package dev.trainwatch.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.bus.raw.RawSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RawSnapshotTest {

  @Test
  void readsEveryContractField() {
    RawSnapshot s = RawSnapshot.fromJson(Samples.agentSnapshot());
    assertThat(s.agent().bootId()).isEqualTo("6f0c1d2e");
    assertThat(s.agent().seq()).isEqualTo(1234);
    assertThat(s.agent().uptimeMs()).isEqualTo(86_400_123L);
    assertThat(s.agent().labels()).containsEntry("rack", "r1");
    assertThat(s.cpu().ticks()).hasNumberOfRows(2);
    assertThat(s.cpu().ticks()[0]).containsExactly(100, 0, 50, 800, 10, 1, 2, 0);
    // 2^64 - 1 survives as the long with the same bits.
    assertThat(Long.toUnsignedString(s.cpu().ticks()[1][0])).isEqualTo("18446744073709551615");
    assertThat(s.memory().totalBytes()).isEqualTo(68_719_476_736L);
    assertThat(s.disks().get(0).busyTimeMsTotal()).isEqualTo(5L);
    assertThat(s.networks().get(0).txBytesTotal()).isEqualTo(20L);
    var g = s.gpus().get(0);
    assertThat(g.powerW()).isEqualTo(512.3);
    assertThat(g.fanPercent()).as("null is absent, not 0").isNull();
    assertThat(g.clockEventReasons()).containsExactly("sw_power_cap");
    assertThat(g.xidEvents().get(0).xid()).isEqualTo(79);
    assertThat(s.gpuProcesses().get(0).user()).isEqualTo("alice");
  }

  @Test
  void roundTripsThroughJsonWithoutLoss() {
    RawSnapshot s = RawSnapshot.fromJson(Samples.agentSnapshot());
    JsonObject again = s.toJson();
    RawSnapshot s2 = RawSnapshot.fromJson(again);
    assertThat(s2.toJson()).isEqualTo(again);
    assertThat(
            again
                .getJsonObject("cpu")
                .getJsonArray("ticks_ms_total")
                .getJsonArray(1)
                .getValue(0)
                .toString())
        .isEqualTo("18446744073709551615");
    assertThat(again.getJsonArray("gpus").getJsonObject(0).containsKey("fan_percent")).isFalse();
    RawSample env = new RawSample("gpu-box-01", "10.0.0.7", s);
    assertThat(RawSample.fromJson(env.toJson()).toJson()).isEqualTo(env.toJson());
  }

  static Stream<Arguments> garbage() {
    return Stream.of(
        bad(o -> o.remove("agent"), "agent", "is required"),
        bad(o -> o.put("schema", 2), "schema", "must be 1"),
        bad(o -> o.put("ts", "yesterday"), "ts", "RFC 3339"),
        bad(o -> o.getJsonObject("agent").put("seq", -1), "agent.seq", "between 0"),
        bad(o -> o.getJsonObject("agent").put("seq", "12"), "agent.seq", "must be a number"),
        bad(o -> o.getJsonObject("agent").remove("boot_id"), "agent.boot_id", "is required"),
        bad(
            o -> o.getJsonObject("cpu").getJsonArray("ticks_ms_total").getJsonArray(0).remove(7),
            "cpu.ticks_ms_total[0]",
            "8 tick counters"),
        bad(
            o -> o.getJsonObject("cpu").getJsonArray("ticks_ms_total").getJsonArray(1).set(2, -5),
            "cpu.ticks_ms_total[1][2]",
            "non-negative"),
        bad(
            o -> o.getJsonObject("memory").put("total_bytes", 1.5),
            "memory.total_bytes",
            "non-negative integer"),
        bad(
            o -> o.getJsonArray("gpus").getJsonObject(0).put("utilization_percent", 101),
            "gpus[0].utilization_percent",
            "between 0 and 100"),
        bad(
            o -> o.getJsonArray("gpus").getJsonObject(0).put("temperature_c", "hot"),
            "gpus[0].temperature_c",
            "must be a number"),
        bad(o -> o.getJsonArray("disks").add("sda"), "disks[1]", "must be an object"),
        bad(
            o -> o.getJsonArray("networks").getJsonObject(0).remove("name"),
            "networks[0].name",
            "is required"),
        bad(o -> o.put("gpus", new JsonObject()), "gpus", "must be an array"),
        bad(
            o -> o.getJsonArray("gpus").getJsonObject(0).put("name", "x".repeat(129)),
            "gpus[0].name",
            "longer"),
        bad(
            o -> {
              var many = new JsonArray();
              for (int i = 0; i < 65; i++) {
                many.add(new JsonObject().put("index", i));
              }
              o.put("gpus", many);
            },
            "gpus",
            "at most 64"));
  }

  private static Arguments bad(Consumer<JsonObject> mutation, String field, String messagePart) {
    return Arguments.of(mutation, field, messagePart);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("garbage")
  void rejectsGarbageNamingTheField(
      Consumer<JsonObject> mutation, String field, String messagePart) {
    JsonObject o = Samples.agentSnapshot();
    mutation.accept(o);
    assertThatThrownBy(() -> RawSnapshot.fromJson(o))
        .isInstanceOfSatisfying(
            InvalidPayloadException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.reason()).contains(messagePart);
            });
  }

  @Test
  void acceptsCountersUpTo2Pow64Minus1AndRejectsBeyond() {
    JsonObject o = Samples.agentSnapshot();
    o.getJsonObject("memory").put("swap_in_bytes_total", new BigInteger("18446744073709551616"));
    assertThatThrownBy(() -> RawSnapshot.fromJson(o))
        .isInstanceOfSatisfying(
            InvalidPayloadException.class,
            e -> assertThat(e.field()).isEqualTo("memory.swap_in_bytes_total"));
  }
}
