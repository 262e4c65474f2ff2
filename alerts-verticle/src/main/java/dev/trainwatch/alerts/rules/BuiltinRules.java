package dev.trainwatch.alerts.rules;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The defaults every installation starts with: data in {@code builtin-rules.json}, each with why it
 * exists (docs/alerts.md mirrors the file; {@code BuiltinRulesDocTest} keeps them in step).
 */
public final class BuiltinRules {
  private BuiltinRules() {}

  public static List<Rule> load() {
    try (InputStream in = BuiltinRules.class.getResourceAsStream("/builtin-rules.json")) {
      return RuleParser.parseAll(new JsonArray(Buffer.buffer(in.readAllBytes())), "builtin");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Built-ins (unless disabled), then config rules, then API rules: a later rule with an earlier
   * one's name replaces it, so an operator tunes a default by redefining it rather than by editing
   * the jar.
   */
  public static List<Rule> merge(boolean builtins, List<Rule> config, List<Rule> api) {
    Map<String, Rule> byName = new LinkedHashMap<>();
    if (builtins) {
      load().forEach(r -> byName.put(r.name(), r));
    }
    config.forEach(r -> byName.put(r.name(), r));
    api.forEach(r -> byName.put(r.name(), r));
    return new ArrayList<>(byName.values());
  }
}
