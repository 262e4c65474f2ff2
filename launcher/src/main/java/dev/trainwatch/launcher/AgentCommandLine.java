package dev.trainwatch.launcher;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * What {@code register-server} tells the operator to paste on the host: the agent's command line
 * for this server's ingest URL. Pure, given the host name.
 */
final class AgentCommandLine {
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

  private AgentCommandLine() {}

  /**
   * @param thisHost how other machines name this one (used when the server listens on every address
   *     or only on loopback)
   * @return the command, then notes for the operator (possibly none)
   */
  static List<String> lines(JsonObject config, String slug, String token, String thisHost) {
    JsonObject http = config.getJsonObject("http");
    String bind = http.getString("host");
    int port = http.getInteger("port");
    boolean loopbackOnly = LOOPBACK.contains(bind);
    String host = loopbackOnly || bind.equals("0.0.0.0") || bind.equals("::") ? thisHost : bind;
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    // The token in the environment, not in the agent's arguments: /proc/<pid>/cmdline is readable
    // by every user.
    String command =
        "AI_DASHBOARD_TOKEN="
            + token
            + " trainwatch-agent --host http://"
            + host
            + ":"
            + port
            + " --server-slug "
            + slug;
    if (loopbackOnly) {
      return List.of(
          command,
          "note: this server listens on "
              + bind
              + " only; remote agents reach it once "
              + "http.host (TRAINWATCH_HTTP_HOST) is an address they can route to.");
    }
    return List.of(command);
  }
}
