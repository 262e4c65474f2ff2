package dev.trainwatch.launcher;

import dev.trainwatch.bus.Json;
import dev.trainwatch.history.registry.RegistryStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code trainwatch list-servers}: the registry, tokens shown only by their public prefix. */
@Command(
    name = "list-servers",
    mixinStandardHelpOptions = true,
    description = "List registered servers.")
public final class ListServersCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin ConfigOption configOption = new ConfigOption();

  @Override
  public Integer call() throws Exception {
    try (AdminDb db = configOption.openDb()) {
      System.out.printf(
          "%-24s %-8s %-12s %-26s %s%n", "SLUG", "ACTIVE", "TOKEN", "LAST SEEN", "NAME");
      for (RegistryStore.Row r : AdminDb.await(db.registry().list())) {
        System.out.printf(
            "%-24s %-8s %-12s %-26s %s%n",
            r.slug(),
            r.active() ? "yes" : "no",
            r.tokenPrefix() == null ? "-" : r.tokenPrefix() + "…",
            r.lastSeenAt() == null ? "never" : Json.ts(r.lastSeenAt().toInstant()),
            r.name());
      }
    }
    return 0;
  }
}
