package dev.trainwatch.alerts.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.alerts.Alert;
import dev.trainwatch.alerts.rules.BuiltinRules;
import dev.trainwatch.alerts.rules.Rule;
import dev.trainwatch.alerts.rules.RuleParser;
import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The evaluator as a pure function: snapshot sequences in, state changes out. */
class EvaluatorTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  final AtomicInteger ids = new AtomicInteger();
  final Evaluator ev = new Evaluator(() -> "a" + ids.incrementAndGet());

  EvaluatorTest() {
    ev.setRules(BuiltinRules.load(), T0);
  }

  static DerivedSnapshot snap(
      String server, String boot, long seq, Instant ts, JsonObject gpu, JsonObject extra) {
    JsonObject o =
        new JsonObject()
            .put("server", server)
            .put("ts", Json.ts(ts))
            .put("boot_id", boot)
            .put("seq", seq)
            .put(
                "gpus",
                gpu == null ? new JsonArray() : new JsonArray().add(gpu.copy().put("index", 0)));
    if (extra != null) {
      o.mergeIn(extra);
    }
    return DerivedSnapshot.fromJson(o);
  }

  List<Change> feed(String server, int n, Duration step, Instant from, JsonObject gpu) {
    List<Change> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.addAll(
          ev.onSnapshot(
              snap(server, "b", seq++, from.plus(step.multipliedBy(i)), gpu, null), from));
    }
    return out;
  }

  long seq = 1;

  static JsonObject temp(double c) {
    return new JsonObject().put("temperature", c);
  }

  @Test
  void aTemperatureHeldForSixtySecondsFiresAtSixtyNotFiftyNine() {
    List<Change> pending = ev.onSnapshot(snap("h", "b", 1, T0, temp(86), null), T0);
    assertThat(pending)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.kind()).isEqualTo(Change.Kind.PENDING);
              assertThat(c.alert().state()).isEqualTo(Alert.State.PENDING);
            });
    assertThat(ev.onSnapshot(snap("h", "b", 2, T0.plusSeconds(59), temp(90), null), T0)).isEmpty();
    List<Change> fired = ev.onSnapshot(snap("h", "b", 3, T0.plusSeconds(60), temp(87), null), T0);
    assertThat(fired)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.kind()).isEqualTo(Change.Kind.FIRED);
              assertThat(c.alert().firedAt()).isEqualTo(T0.plusSeconds(60));
              assertThat(c.alert().startedAt()).isEqualTo(T0);
              assertThat(c.alert().value()).isEqualTo(87.0);
              assertThat(c.notifies()).isTrue();
            });
  }

  @Test
  void hysteresisHoldsAFiringAlertUntilTheClearThreshold() {
    feed("h", 7, Duration.ofSeconds(10), T0, temp(88));
    assertThat(ev.open()).singleElement().extracting(Alert::state).isEqualTo(Alert.State.FIRING);
    assertThat(ev.onSnapshot(snap("h", "b", 100, T0.plusSeconds(80), temp(84), null), T0))
        .isEmpty();
    assertThat(ev.onSnapshot(snap("h", "b", 101, T0.plusSeconds(90), temp(80), null), T0))
        .isEmpty();
    List<Change> resolved =
        ev.onSnapshot(snap("h", "b", 102, T0.plusSeconds(100), temp(79.9), null), T0);
    assertThat(resolved)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.kind()).isEqualTo(Change.Kind.RESOLVED);
              assertThat(c.alert().resolvedAt()).isEqualTo(T0.plusSeconds(100));
              assertThat(c.notifies()).isTrue();
            });
  }

  @Test
  void aBriefTouchEndsAsAPendingThatDidNotLastAndNotifiesNobody() {
    List<Change> changes = feed("h", 3, Duration.ofSeconds(10), T0, temp(86));
    changes.addAll(ev.onSnapshot(snap("h", "b", 50, T0.plusSeconds(30), temp(70), null), T0));
    assertThat(changes)
        .extracting(Change::kind)
        .containsExactly(Change.Kind.PENDING, Change.Kind.RESOLVED);
    assertThat(changes.get(1).alert().firedAt()).isNull();
    assertThat(changes.get(1).alert().message()).endsWith("(did not last)");
    assertThat(changes).noneMatch(Change::notifies);
  }

  @Test
  void anAbsentReadingNeitherStartsNorResolves() {
    feed("h", 7, Duration.ofSeconds(10), T0, temp(88));
    assertThat(ev.onSnapshot(snap("h", "b", 100, T0.plusSeconds(80), new JsonObject(), null), T0))
        .isEmpty();
    assertThat(ev.open()).singleElement().extracting(Alert::state).isEqualTo(Alert.State.FIRING);
  }

  @Test
  void anAbsentReadingDoesNotEndAPendingAlertEither() {
    ev.onSnapshot(snap("p", "b", 1, T0, temp(88), null), T0);
    assertThat(ev.onSnapshot(snap("p", "b", 2, T0.plusSeconds(30), new JsonObject(), null), T0))
        .isEmpty();
    assertThat(ev.onSnapshot(snap("p", "b", 3, T0.plusSeconds(60), temp(88), null), T0))
        .extracting(Change::kind)
        .containsExactly(Change.Kind.FIRED);
    assertThat(ev.openCount()).isEqualTo(1);
  }

  @Test
  void aRedefinedRuleOrAServerLeavingItsScopeResolvesWhatWasOpen() {
    feed("h", 7, Duration.ofSeconds(10), T0, temp(88));
    List<Rule> cooler = new ArrayList<>(BuiltinRules.load());
    cooler.replaceAll(
        r ->
            !r.name().equals("gpu-temperature-high")
                ? r
                : RuleParser.parse(r.toJson().put("threshold", 95).put("clear", 90), ""));
    assertThat(ev.setRules(cooler, T0))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.kind()).isEqualTo(Change.Kind.RESOLVED);
              assertThat(c.alert().message()).endsWith("(rule changed)");
            });
    assertThat(ev.openCount()).isZero();
    assertThat(ev.setRules(cooler, T0)).as("the same definition again changes nothing").isEmpty();

    Rule rack =
        RuleParser.parse(
            new JsonObject()
                .put("name", "r1-hot")
                .put("metric", "gpu.temperature")
                .put("op", ">")
                .put("threshold", 50)
                .put("scope", new JsonObject().put("labels", new JsonObject().put("rack", "r1"))),
            "");
    ev.setRules(List.of(rack), T0);
    JsonObject r1 =
        new JsonObject()
            .put("agent", new JsonObject().put("labels", new JsonObject().put("rack", "r1")));
    JsonObject r2 =
        new JsonObject()
            .put("agent", new JsonObject().put("labels", new JsonObject().put("rack", "r2")));
    assertThat(ev.onSnapshot(snap("mover", "b", 1, T0, temp(60), r1), T0)).hasSize(1);
    assertThat(ev.onSnapshot(snap("mover", "b", 2, T0.plusSeconds(1), temp(60), r2), T0))
        .singleElement()
        .satisfies(
            c -> assertThat(c.alert().message()).endsWith("(server out of the rule's scope)"));
    assertThat(ev.openCount()).isZero();
  }

  @Test
  void aRebootOrAStaleGapRestartsThePendingClock() {
    ev.onSnapshot(snap("h", "b", 1, T0, temp(88), null), T0);
    ev.onSnapshot(snap("h", "b2", 1, T0.plusSeconds(40), temp(88), null), T0);
    assertThat(ev.onSnapshot(snap("h", "b2", 2, T0.plusSeconds(70), temp(88), null), T0)).isEmpty();
    assertThat(ev.onSnapshot(snap("h", "b2", 3, T0.plusSeconds(100), temp(88), null), T0))
        .extracting(Change::kind)
        .containsExactly(Change.Kind.FIRED);
    // 10-s and even 4-min sampling is continuous; a 6-min hole is not.
    Evaluator other = new Evaluator(() -> "x");
    other.setRules(BuiltinRules.load(), T0);
    other.onSnapshot(snap("g", "b", 1, T0, temp(88), null), T0);
    assertThat(other.onSnapshot(snap("g", "b", 2, T0.plusSeconds(360), temp(88), null), T0))
        .isEmpty();
    assertThat(other.onSnapshot(snap("g", "b", 3, T0.plusSeconds(420), temp(88), null), T0))
        .extracting(Change::kind)
        .containsExactly(Change.Kind.FIRED);
  }

  @Test
  void eccFiresOnARiseWithinABootOnlyAndResolvesAfterTenQuietMinutes() {
    JsonObject ecc = new JsonObject().put("ecc_uncorrected_total", 5);
    assertThat(ev.onSnapshot(snap("h", "b", 1, T0, ecc, null), T0)).isEmpty();
    assertThat(
            ev.onSnapshot(
                snap(
                    "h",
                    "b2",
                    1,
                    T0.plusSeconds(60),
                    ecc.copy().put("ecc_uncorrected_total", 0),
                    null),
                T0))
        .isEmpty();
    assertThat(
            ev.onSnapshot(
                snap(
                    "h",
                    "b3",
                    1,
                    T0.plusSeconds(120),
                    ecc.copy().put("ecc_uncorrected_total", 9),
                    null),
                T0))
        .as("another boot's count is not comparable")
        .isEmpty();
    List<Change> fired =
        ev.onSnapshot(
            snap(
                "h",
                "b3",
                2,
                T0.plusSeconds(180),
                ecc.copy().put("ecc_uncorrected_total", 11),
                null),
            T0);
    assertThat(fired)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.kind()).isEqualTo(Change.Kind.FIRED);
              assertThat(c.alert().value()).isEqualTo(2.0);
            });
    JsonObject eleven = ecc.copy().put("ecc_uncorrected_total", 11);
    assertThat(ev.onSnapshot(snap("h", "b3", 3, T0.plusSeconds(180 + 599), eleven, null), T0))
        .isEmpty();
    assertThat(ev.onSnapshot(snap("h", "b3", 4, T0.plusSeconds(180 + 600), eleven, null), T0))
        .extracting(Change::kind)
        .containsExactly(Change.Kind.RESOLVED);
  }

  @Test
  void anXidWaitsForAPersonAndTakesTheWorstSeverity() {
    JsonObject x13 =
        new JsonObject()
            .put(
                "xid_events",
                new JsonArray()
                    .add(new JsonObject().put("xid", 13).put("ts", "2026-12-01T00:00:00Z")));
    List<Change> fired = ev.onSnapshot(snap("h", "b", 1, T0, x13, null), T0);
    assertThat(fired)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.alert().severity().id()).isEqualTo("warning");
              assertThat(c.alert().message()).startsWith("GPU 0 XID 13: graphics engine exception");
            });
    assertThat(ev.onSnapshot(snap("h", "b", 2, T0.plusSeconds(3600), new JsonObject(), null), T0))
        .as("no auto-resolve")
        .isEmpty();
    JsonObject x79 =
        new JsonObject()
            .put(
                "xid_events",
                new JsonArray()
                    .add(new JsonObject().put("xid", 79).put("ts", "2026-12-01T01:00:01Z")));
    List<Change> escalated = ev.onSnapshot(snap("h", "b", 3, T0.plusSeconds(3601), x79, null), T0);
    assertThat(escalated)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.kind())
                  .as("a worse XID is news: notified")
                  .isEqualTo(Change.Kind.ESCALATED);
              assertThat(c.notifies()).isTrue();
              assertThat(c.event()).isEqualTo("escalated");
              assertThat(c.alert().id()).isEqualTo(fired.get(0).alert().id());
              assertThat(c.alert().severity().id()).isEqualTo("critical");
            });
    Alert acked =
        escalated
            .get(0)
            .alert()
            .acknowledged("alice", T0.plusSeconds(4000))
            .resolve(T0.plusSeconds(4000), 79.0, "m");
    ev.acknowledged(acked);
    assertThat(ev.open()).isEmpty();
    assertThat(ev.onSnapshot(snap("h", "b", 4, T0.plusSeconds(4001), x13, null), T0))
        .as("the next XID is a new alert")
        .singleElement()
        .satisfies(c -> assertThat(c.alert().id()).isNotEqualTo(acked.id()));
  }

  @Test
  void silenceFiresAtThirtySecondsOnTheEvaluatorsClockAndResolvesWhenDataComes() {
    Instant arrival = Instant.parse("2026-12-04T10:00:00Z");
    ev.onSnapshot(snap("h", "b", 1, T0, null, null), arrival);
    assertThat(ev.tick(arrival.plusSeconds(29))).isEmpty();
    List<Change> fired = ev.tick(arrival.plusSeconds(30));
    assertThat(fired)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.kind()).isEqualTo(Change.Kind.FIRED);
              assertThat(c.alert().rule()).isEqualTo("server-offline");
              assertThat(c.alert().startedAt()).isEqualTo(arrival);
              assertThat(c.alert().message()).isEqualTo("no snapshot for 30 s");
            });
    assertThat(ev.tick(arrival.plusSeconds(90))).as("fires once").isEmpty();
    assertThat(
            ev.onSnapshot(
                snap("h", "b", 2, T0.plusSeconds(1), null, null), arrival.plusSeconds(91)))
        .extracting(Change::kind)
        .containsExactly(Change.Kind.RESOLVED);
  }

  @Test
  void aDisabledServerIsNotOffline() {
    Instant now = Instant.parse("2026-12-04T10:00:00Z");
    ev.registry("gone", now.minusSeconds(3600), true, now);
    assertThat(ev.tick(now)).hasSize(1);
    assertThat(ev.registry("gone", now.minusSeconds(3600), false, now))
        .extracting(Change::kind)
        .containsExactly(Change.Kind.RESOLVED);
    assertThat(ev.tick(now.plusSeconds(60))).isEmpty();
    ev.registry("never", null, true, now);
    assertThat(ev.tick(now.plusSeconds(60))).as("never reported: nothing to miss").isEmpty();
  }

  @Test
  void restoredAlertsContinueWithoutFiringTwice() {
    feed("h", 7, Duration.ofSeconds(10), T0, temp(88));
    Alert open = ev.open().get(0);
    Evaluator after = new Evaluator(() -> "new");
    after.setRules(BuiltinRules.load(), T0);
    assertThat(after.restore(List.of(open), T0)).isEmpty();
    assertThat(after.onSnapshot(snap("h", "b", 100, T0.plusSeconds(80), temp(90), null), T0))
        .isEmpty();
    assertThat(after.onSnapshot(snap("h", "b", 101, T0.plusSeconds(90), temp(70), null), T0))
        .singleElement()
        .satisfies(c -> assertThat(c.alert().id()).isEqualTo(open.id()));
  }

  @Test
  void aRemovedRuleResolvesItsOpenAlertsAndScopesAreHonoured() {
    feed("h", 7, Duration.ofSeconds(10), T0, temp(88));
    assertThat(ev.setRules(List.of(), T0))
        .extracting(Change::kind)
        .containsExactly(Change.Kind.RESOLVED);
    Rule rackOnly =
        RuleParser.parse(
            new JsonObject()
                .put("name", "hot")
                .put("metric", "gpu.temperature")
                .put("op", ">")
                .put("threshold", 50)
                .put("scope", new JsonObject().put("labels", new JsonObject().put("rack", "r1"))),
            "");
    ev.setRules(List.of(rackOnly), T0);
    JsonObject r1 =
        new JsonObject()
            .put("agent", new JsonObject().put("labels", new JsonObject().put("rack", "r1")));
    JsonObject r2 =
        new JsonObject()
            .put("agent", new JsonObject().put("labels", new JsonObject().put("rack", "r2")));
    assertThat(ev.onSnapshot(snap("in", "b", 1, T0, temp(60), r1), T0)).hasSize(1);
    assertThat(ev.onSnapshot(snap("out", "b", 1, T0, temp(60), r2), T0)).isEmpty();
  }

  @Test
  void aBottleneckLabelRuleComparesText() {
    Rule cpu =
        RuleParser.parse(
            new JsonObject()
                .put("name", "cpu-starved")
                .put("metric", "bottleneck.label")
                .put("op", "==")
                .put("threshold", "cpu-bound")
                .put("for_s", 120),
            "");
    ev.setRules(List.of(cpu), T0);
    JsonObject bound =
        new JsonObject()
            .put(
                "bottleneck",
                new JsonObject().put("label", "cpu-bound").put("reasons", new JsonArray()));
    ev.onSnapshot(snap("h", "b", 1, T0, null, bound), T0);
    List<Change> fired = ev.onSnapshot(snap("h", "b", 2, T0.plusSeconds(120), null, bound), T0);
    assertThat(fired)
        .singleElement()
        .satisfies(
            c -> assertThat(c.alert().message()).isEqualTo("bottleneck cpu-bound for 2 min"));
  }
}
