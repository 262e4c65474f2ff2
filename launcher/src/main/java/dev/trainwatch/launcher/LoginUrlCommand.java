package dev.trainwatch.launcher;

import dev.trainwatch.bus.Tokens;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code trainwatch login-url}: a fresh one-time sign-in URL for the running server (local mode).
 */
@Command(
    name = "login-url",
    mixinStandardHelpOptions = true,
    description =
        "Print a fresh one-time sign-in URL for the running server (auth.mode=local), on its own line.")
public final class LoginUrlCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin ConfigOption configOption = new ConfigOption();

  @Override
  public Integer call() throws Exception {
    var config = configOption.load();
    if (!"local".equals(config.getJsonObject("auth").getString("mode"))) {
      System.err.println(
          "trainwatch: auth.mode is "
              + config.getJsonObject("auth").getString("mode")
              + ": sign in through the identity provider at "
              + LoginUrl.runningBase(config)
              + "/login");
      return 2;
    }
    String token = Tokens.secret(32);
    int ttl = config.getJsonObject("auth").getInteger("login_token_ttl_s");
    try (AdminDb db = AdminDb.open(config)) {
      AdminDb.await(db.access().mintLogin(Tokens.sha256(token), Duration.ofSeconds(ttl)));
    }
    System.err.println("one-time sign-in URL (works once, for " + ttl / 60 + " min):");
    System.out.println(LoginUrl.url(LoginUrl.runningBase(config), token));
    return 0;
  }
}
