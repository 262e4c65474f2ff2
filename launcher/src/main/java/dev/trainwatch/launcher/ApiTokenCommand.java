package dev.trainwatch.launcher;

import dev.trainwatch.bus.Json;
import dev.trainwatch.bus.Tokens;
import dev.trainwatch.history.registry.AccessStore;
import io.vertx.core.eventbus.ReplyException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trainwatch api-token create|list|revoke}: tokens for scripts and Prometheus
 * (docs/security.md).
 */
@Command(
    name = "api-token",
    mixinStandardHelpOptions = true,
    description = "Create, list or revoke API tokens (sent as Authorization: Bearer).",
    subcommands = {
      ApiTokenCommand.Create.class,
      ApiTokenCommand.ListTokens.class,
      ApiTokenCommand.Revoke.class
    })
public final class ApiTokenCommand implements Runnable {
  @Override
  public void run() {
    picocli.CommandLine.usage(this, System.out);
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a token; it is printed once, on its own line, and never stored.")
  static final class Create implements Callable<Integer> {
    @Parameters(
        paramLabel = "NAME",
        description = "What the token is for, e.g. prometheus (unique among live tokens).")
    String name;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "reader, user or admin.")
    String role;

    @picocli.CommandLine.Mixin ConfigOption configOption = new ConfigOption();

    @Override
    public Integer call() throws Exception {
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}")) {
        System.err.println(
            "trainwatch: NAME must be 1 to 64 letters, digits, spaces, '.', '_' or '-'");
        return 2;
      }
      if (!role.equals("reader") && !role.equals("user") && !role.equals("admin")) {
        System.err.println("trainwatch: --role must be reader, user or admin, got '" + role + "'");
        return 2;
      }
      var config = configOption.load();
      String token = Tokens.generate(Tokens.API);
      try (AdminDb db = AdminDb.open(config)) {
        AdminDb.await(
            db.access().create(Tokens.prefix(token), name, role, Tokens.sha256(token), "cli"));
      } catch (ReplyException e) {
        System.err.println("trainwatch: " + e.getMessage());
        return 1;
      }
      System.err.println(
          "API token "
              + Tokens.prefix(token)
              + " ("
              + role
              + ") created; shown once, store it now:");
      System.out.println(token);
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List live tokens (never their secrets).")
  static final class ListTokens implements Callable<Integer> {
    @picocli.CommandLine.Mixin ConfigOption configOption = new ConfigOption();

    @Override
    public Integer call() throws Exception {
      try (AdminDb db = configOption.openDb()) {
        System.out.printf(
            "%-14s %-7s %-26s %-26s %s%n", "ID", "ROLE", "CREATED", "LAST USED", "NAME");
        for (AccessStore.ApiToken t : AdminDb.await(db.access().list())) {
          System.out.printf(
              "%-14s %-7s %-26s %-26s %s%n",
              t.id(),
              t.role(),
              Json.ts(t.createdAt()),
              t.lastUsedAt() == null ? "never" : Json.ts(t.lastUsedAt()),
              t.name());
        }
      }
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke a token by id (twa_…): it stops working at once and its live sockets close.")
  static final class Revoke implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The token's id, as `api-token list` shows it.")
    String id;

    @picocli.CommandLine.Mixin ConfigOption configOption = new ConfigOption();

    @Override
    public Integer call() throws Exception {
      try (AdminDb db = configOption.openDb()) {
        if (!AdminDb.await(db.access().revoke(id))) {
          System.err.println("trainwatch: no live API token " + id);
          return 1;
        }
      }
      System.err.println("revoked " + id);
      return 0;
    }
  }
}
