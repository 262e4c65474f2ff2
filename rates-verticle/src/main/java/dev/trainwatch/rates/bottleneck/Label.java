package dev.trainwatch.rates.bottleneck;

import dev.trainwatch.rates.bottleneck.RuleTable.Rule;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A bottleneck label and the rules it stands for (several for {@code mixed-*}, none for {@code
 * balanced}).
 */
public record Label(String name, Set<Rule> rules) {
  private static final Map<Rule, Label> SINGLE = new EnumMap<>(Rule.class);

  static {
    for (Rule r : Rule.values()) {
      SINGLE.put(r, new Label(r.label, EnumSet.of(r)));
    }
  }

  public Label {
    rules =
        Collections.unmodifiableSet(
            EnumSet.copyOf(rules.isEmpty() ? EnumSet.noneOf(Rule.class) : rules));
  }

  public static Label of(Rule r) {
    return SINGLE.get(r);
  }
}
