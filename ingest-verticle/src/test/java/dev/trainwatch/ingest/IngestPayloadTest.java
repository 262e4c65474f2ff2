package dev.trainwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainwatch.bus.InvalidPayloadException;
import dev.trainwatch.bus.JsonLimits;
import dev.trainwatch.bus.raw.RawSnapshot;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ingest body, streamed: one snapshot or a batch, and which of invalid_json / invalid_payload
 * it earns.
 */
class IngestPayloadTest {

  static JsonObject snap(long seq) {
    return IngestTest.snapshot("boot-p", seq);
  }

  static List<RawSnapshot> parse(String body) {
    return IngestPayload.parse(Buffer.buffer(body));
  }

  static List<RawSnapshot> parse(JsonObject body) {
    return IngestPayload.parse(body.toBuffer());
  }

  static void invalid(String body, String field, String reason) {
    assertThatThrownBy(() -> parse(body))
        .isInstanceOfSatisfying(
            InvalidPayloadException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.reason()).contains(reason);
            });
  }

  static void notJson(String body) {
    assertThatThrownBy(() -> parse(body)).isInstanceOf(IngestPayload.NotJson.class);
  }

  /**
   * The members of {@code o} followed by {@code tail} (e.g. {@code "snapshots":[...]}), keeping
   * that order.
   */
  static String withLast(JsonObject o, String tail) {
    String s = o.encode();
    return s.substring(0, s.length() - 1) + (o.isEmpty() ? "" : ",") + tail + "}";
  }

  @Test
  void oneSnapshot() {
    List<RawSnapshot> s = parse(snap(7));
    assertThat(s).hasSize(1);
    assertThat(s.get(0).agent().seq()).isEqualTo(7);
  }

  @Test
  void aBatchWhereverItsKeyIs() {
    JsonArray two = new JsonArray().add(snap(1)).add(snap(2));
    assertThat(parse(new JsonObject().put("snapshots", two)))
        .extracting(x -> x.agent().seq())
        .containsExactly(1L, 2L);
    // Snapshot members first, valid ones: read as a snapshot until "snapshots" shows up, then it is
    // a batch.
    assertThat(parse(withLast(snap(9), "\"snapshots\":" + two.encode())))
        .extracting(x -> x.agent().seq())
        .containsExactly(1L, 2L);
    // Snapshot-ish members that would be invalid as a snapshot do not matter in a batch.
    JsonObject junk =
        new JsonObject()
            .put("schema", "nope")
            .put("agent", 5)
            .put("extra", new JsonObject().put("a", 1));
    assertThat(parse(withLast(junk, "\"snapshots\":" + two.encode()))).hasSize(2);
    assertThat(parse(new JsonObject().put("snapshots", two).put("schema", "nope").put("agent", 5)))
        .hasSize(2);
    // Members missing from a snapshot do not matter either.
    assertThat(
            parse(
                withLast(
                    new JsonObject().put("ts", "2026-11-22T06:00:00Z"),
                    "\"snapshots\":" + two.encode())))
        .hasSize(2);
  }

  @Test
  void aBatchFaultNamesItsElement() {
    JsonObject bad = snap(2);
    bad.getJsonObject("agent").put("seq", -4);
    JsonArray a = new JsonArray().add(snap(1)).add(bad);
    invalid(new JsonObject().put("snapshots", a).encode(), "snapshots[1].agent.seq", "between 0");
    invalid(
        withLast(new JsonObject().put("schema", "x"), "\"snapshots\":" + a.encode()),
        "snapshots[1].agent.seq",
        "between 0");
    invalid(withLast(snap(3), "\"snapshots\":[1]"), "snapshots[0]", "must be an object");
    invalid(withLast(snap(3), "\"snapshots\":null"), "snapshots", "must be a non-empty array");
    invalid("{\"snapshots\":[]}", "snapshots", "must be a non-empty array");
    invalid("{\"snapshots\":{}}", "snapshots", "must be an array");
  }

  @Test
  void aBatchHoldsAtMost1000() {
    JsonArray max = new JsonArray();
    for (int i = 0; i < IngestPayload.MAX_BATCH; i++) {
      max.add(snap(i));
    }
    assertThat(parse(new JsonObject().put("snapshots", max))).hasSize(IngestPayload.MAX_BATCH);
    max.add(snap(5000)).add(snap(5001));
    invalid(
        new JsonObject().put("snapshots", max).encode(),
        "snapshots",
        "has 1002 elements, at most 1000 allowed");
    // Two faults: the first in the text is named. A bad element before the limit comes first...
    max.set(0, snap(0).put("schema", 5));
    invalid(new JsonObject().put("snapshots", max).encode(), "snapshots[0].schema", "must be 1");
    // ...and the same element past the limit comes after the size fault, found at element 1001.
    max.set(0, snap(0));
    max.set(1001, snap(5001).put("schema", 5));
    invalid(
        new JsonObject().put("snapshots", max).encode(),
        "snapshots",
        "has 1002 elements, at most 1000 allowed");
  }

  @Test
  void aSingleSnapshotFaultNamesTheField() {
    JsonObject o = new JsonObject(snap(1).encode());
    o.getJsonObject("cpu").getJsonArray("ticks_ms_total").getJsonArray(0).set(3, -1);
    invalid(o.encode(), "cpu.ticks_ms_total[0][3]", "non-negative");
    invalid(snap(1).put("schema", 3).encode(), "schema", "must be 1");
    JsonObject noAgent = snap(1);
    noAgent.remove("agent");
    invalid(noAgent.encode(), "agent", "is required");
  }

  @Test
  void jsonThatIsNotAnObjectIsInvalidPayload() {
    invalid("[1,2]", "", "body must be a JSON object");
    invalid("42", "", "body must be a JSON object");
    invalid("null", "", "body must be a JSON object");
  }

  @Test
  void aSyntaxErrorAfterAContractFaultIsNotReached() {
    String early = snap(1).put("schema", 9).encode();
    String brokenTail = ",\"x\":[1,}";
    invalid(early.substring(0, early.length() - 1) + brokenTail, "schema", "must be 1");
    notJson("{" + brokenTail.substring(1) + "," + early.substring(1));
    // The snapshot's fault stands when the text breaks off before a "snapshots" key could show up.
    invalid("{\"schema\":\"x\",\"a\":[1,}", "schema", "must be a number");
    // Noticed before what follows: a root that is not an object, a snapshot without its members.
    invalid("[1,2", "", "body must be a JSON object");
    invalid("{} {}", "schema", "is required");
  }

  @Test
  void notJsonWhereverTheSyntaxErrorIs() {
    notJson("");
    notJson("   ");
    notJson("{\"schema\": 1, ");
    notJson(snap(1).encode() + " {}");
    notJson(snap(1).encode() + " trailing");
    // A batch: the snapshot-ish member before it is no fault, the broken end is.
    notJson(
        withLast(new JsonObject().put("schema", "x"), "\"snapshots\":[" + snap(1).encode() + "],"));
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      deep.append("{\"a\":");
    }
    notJson(deep + "1" + "}".repeat(100));
    String unknownTooDeep =
        withLast(
            snap(1),
            "\"x\":"
                + "[".repeat(JsonLimits.MAX_NESTING_DEPTH)
                + "]".repeat(JsonLimits.MAX_NESTING_DEPTH));
    notJson(unknownTooDeep);
    notJson(withLast(snap(1), "\"x\":\"" + "s".repeat(JsonLimits.MAX_STRING_LENGTH + 1) + "\""));
  }
}
