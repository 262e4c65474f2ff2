package dev.trainwatch.alerts.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainwatch.bus.InvalidPayloadException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every field an admin or a config file sends has a limit, and crossing it names the field. */
class RuleParserTest {
  static JsonObject rule() {
    return new JsonObject()
        .put("name", "hot")
        .put("metric", "gpu.temperature")
        .put("op", ">=")
        .put("threshold", 80);
  }

  static void rejects(JsonObject r, String field, String message) {
    assertThatThrownBy(() -> RuleParser.parse(r, ""))
        .isInstanceOf(InvalidPayloadException.class)
        .satisfies(
            e -> {
              assertThat(((InvalidPayloadException) e).field()).isEqualTo(field);
              assertThat(((InvalidPayloadException) e).reason()).contains(message);
            });
  }

  @Test
  void readsEveryField() {
    Rule r =
        RuleParser.parse(
            rule()
                .put("clear", 75)
                .put("for_s", 60)
                .put("clear_for_s", 30)
                .put("severity", "critical")
                .put(
                    "scope",
                    new JsonObject()
                        .put("servers", new JsonArray().add("a"))
                        .put("labels", new JsonObject().put("rack", "r1")))
                .put("why", "because"),
            "");
    assertThat(r.metric()).isEqualTo(Metric.GPU_TEMPERATURE);
    assertThat(r.op()).isEqualTo(Op.GE);
    assertThat(r.threshold()).isEqualTo(80.0);
    assertThat(r.clear()).isEqualTo(75.0);
    assertThat(r.forDuration()).isEqualTo(Duration.ofMinutes(1));
    assertThat(r.clearFor()).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(r.scope().matches("a", Map.of("rack", "r1"))).isTrue();
    assertThat(r.scope().matches("b", Map.of("rack", "r1"))).isFalse();
    assertThat(RuleParser.parse(r.toJson(), "")).isEqualTo(r);
  }

  @Test
  void refusesWhatIsWrongNamingTheField() {
    rejects(rule().put("name", "Hot Rule"), "name", "lower-case");
    rejects(rule().put("name", "x".repeat(65)), "name", "lower-case");
    rejects(rule().put("metric", "gpu.temp"), "metric", "must be one of");
    rejects(rule().put("op", "=>"), "op", "must be one of");
    rejects(
        rule().remove("threshold") == null ? rule() : withoutThreshold(), "threshold", "required");
    rejects(rule().put("threshold", "hot"), "threshold", "finite number");
    rejects(rule().put("threshold", 1e300), "threshold", "finite number");
    rejects(rule().put("clear", 90), "clear", "resolving side");
    rejects(rule().put("for_s", -1), "for_s", "whole seconds");
    rejects(rule().put("for_s", 7 * 86_400 + 1), "for_s", "whole seconds");
    rejects(rule().put("for_s", 1.5), "for_s", "whole seconds");
    rejects(rule().put("severity", "page"), "severity", "info, warning or critical");
    rejects(rule().put("resolve", "never"), "resolve", "auto or ack");
    rejects(rule().put("colour", "red"), "colour", "not a rule field");
    rejects(rule().put("why", "x".repeat(257)), "why", "at most 256");
    rejects(
        rule().put("scope", new JsonObject().put("hosts", new JsonArray())),
        "scope.hosts",
        "not a scope field");
    JsonArray many = new JsonArray();
    for (int i = 0; i < 257; i++) {
      many.add("s" + i);
    }
    rejects(
        rule().put("scope", new JsonObject().put("servers", many)), "scope.servers", "at most 256");
    rejects(
        rule().put("scope", new JsonObject().put("servers", new JsonArray().add("Not A Slug"))),
        "scope.servers",
        "slugs");
    rejects(
        new JsonObject()
            .put("name", "l")
            .put("metric", "bottleneck.label")
            .put("op", ">")
            .put("threshold", "idle"),
        "op",
        "text");
    rejects(
        new JsonObject()
            .put("name", "e")
            .put("metric", "gpu.xid")
            .put("op", "present")
            .put("clear", 3),
        "clear",
        "no meaning");
  }

  private static JsonObject withoutThreshold() {
    JsonObject r = rule();
    r.remove("threshold");
    return r;
  }

  @Test
  void aRuleSetHasALimitAndUniqueNames() {
    JsonArray twice = new JsonArray().add(rule()).add(rule());
    assertThatThrownBy(() -> RuleParser.parseAll(twice, "alerts.rules"))
        .hasMessageContaining("defined twice")
        .satisfies(
            e ->
                assertThat(((InvalidPayloadException) e).field())
                    .isEqualTo("alerts.rules[1].name"));
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= RuleParser.MAX_RULES; i++) {
      tooMany.add(rule().put("name", "r" + i));
    }
    assertThatThrownBy(() -> RuleParser.parseAll(tooMany, "alerts.rules"))
        .hasMessageContaining("at most 1000");
  }

  @Test
  void laterRulesReplaceBuiltinsByNameAndDisabledOnesCanBeLeftOut() {
    JsonObject cooler = rule().put("name", "gpu-temperature-high").put("threshold", 90);
    var merged = BuiltinRules.merge(true, List.of(RuleParser.parse(cooler, "")), List.of());
    assertThat(merged).hasSize(8);
    assertThat(
            merged.stream()
                .filter(r -> r.name().equals("gpu-temperature-high"))
                .findFirst()
                .orElseThrow()
                .threshold())
        .isEqualTo(90.0);
    assertThat(BuiltinRules.merge(false, List.of(), List.of())).isEmpty();
  }
}
