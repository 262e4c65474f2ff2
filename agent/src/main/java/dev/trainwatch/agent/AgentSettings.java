package dev.trainwatch.agent;

import dev.trainwatch.collector.CollectorConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The agent's checked settings.
 *
 * @param collector the sampling configuration, checked
 * @param intervalRaised the asked interval was under the floor and was raised to it
 * @param spoolMaxBytes the spool's disk bound
 */
public record AgentSettings(
    URI host,
    String slug,
    String token,
    CollectorConfig collector,
    boolean intervalRaised,
    long cpuSampleIntervalMs,
    long timeoutMs,
    boolean insecure,
    LogLevels.Level logLevel,
    Path spoolDir,
    long spoolMaxBytes,
    int replayPerSecond,
    long maxBackoffMs) {

  /**
   * systemd's StateDirectory first (the unit sets it), then the XDG state directory of the user.
   */
  static Path defaultSpoolDir(Map<String, String> env) {
    String state = env.get("STATE_DIRECTORY");
    if (state != null && !state.isBlank()) {
      return Path.of(state.split(":", 2)[0], "spool");
    }
    String xdg = env.get("XDG_STATE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("trainwatch-agent").resolve("spool");
  }

  /** What the agent sends as its User-Agent. */
  String userAgent() {
    return "trainwatch-agent/" + AgentVersion.get();
  }
}
