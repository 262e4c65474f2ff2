package dev.trainwatch.launcher;

import dev.trainwatch.bus.RegistryChange;
import dev.trainwatch.bus.Tokens;
import dev.trainwatch.history.registry.RegistryStore;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trainwatch register-server SLUG [--name N] [--rotate-token] [--disable|--enable]}. */
@Command(
    name = "register-server",
    mixinStandardHelpOptions = true,
    description =
        "Register a server for remote agents, or change one. A new token is printed once, on its own line.")
public final class RegisterServerCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "SLUG",
      description = "Lower-case letters, digits, '-' or '_'; at most 64.")
  String slug;

  @Option(names = "--name", paramLabel = "N", description = "Display name (default: the slug).")
  String name;

  @Option(
      names = "--rotate-token",
      description = "Issue a new token; the old one stops working at once.")
  boolean rotate;

  @ArgGroup(exclusive = true)
  Activity activity;

  static final class Activity {
    @Option(names = "--disable", description = "Refuse this server's agents (403) until enabled.")
    boolean disable;

    @Option(names = "--enable", description = "Accept this server's agents again.")
    boolean enable;
  }

  @picocli.CommandLine.Mixin ConfigOption configOption = new ConfigOption();

  private static String thisHost() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (IOException e) {
      return "THIS-SERVER";
    }
  }

  @Override
  public Integer call() throws Exception {
    if (!slug.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
      System.err.println(
          "trainwatch: SLUG must be lower-case letters, digits, '-' or '_' (at most 64), got '"
              + slug
              + "'");
      return 2;
    }
    var config = configOption.load();
    Boolean active = activity == null ? null : activity.enable;
    String token = Tokens.generate();
    try (AdminDb db = AdminDb.open(config)) {
      RegistryStore.Result r =
          AdminDb.await(
              db.registry()
                  .apply(
                      new RegistryChange(
                          RegistryChange.Mode.UPSERT,
                          slug,
                          name,
                          Tokens.sha256(token),
                          Tokens.prefix(token),
                          rotate,
                          active)));
      System.err.println(
          (r.created() ? "registered " : "updated ")
              + slug
              + (r.tokenSet() ? "; its ingest token (shown once, store it now):" : ""));
      if (r.tokenSet()) {
        System.out.println(token);
        // stderr: stdout stays the token alone, for scripts.
        List<String> agent = AgentCommandLine.lines(config, slug, token, thisHost());
        System.err.println(
            "on "
                + slug
                + ", run the agent (docs/agent.md; under systemd, put the token in "
                + "/etc/trainwatch-agent/agent.env):");
        System.err.println("  " + agent.get(0));
        agent.stream().skip(1).forEach(System.err::println);
      }
    }
    return 0;
  }
}
