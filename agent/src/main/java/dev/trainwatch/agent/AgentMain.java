package dev.trainwatch.agent;

import dev.trainwatch.collector.CollectorConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trainwatch-agent}: the command line and environment of CONTRACT.md §5 (seed 001), plus the
 * spool options. Every option is checked here, so a mistake exits 2 with the option's name before
 * anything is sampled or sent.
 */
@Command(
    name = "trainwatch-agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentMain.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Samples this host (GPUs through NVML, CPU, memory, disks, NICs) and sends raw counters to a "
          + "Trainwatch server. Snapshots the server cannot take yet wait in an on-disk spool.",
      "Every option also reads the environment variable named in its description."
    },
    exitCodeListHeading = "%nExit codes (--once):%n",
    exitCodeList = {
      "0:the server stored the snapshots (202)",
      "1:the agent could not start (spool, sources)",
      "2:invalid options",
      "3:401 wrong token",
      "4:403 server disabled",
      "5:404 unknown slug or wrong --host",
      "6:TLS failure",
      "7:connection refused or host unreachable",
      "8:timeout",
      "9:snapshot refused (other 4xx)",
      "10:server unavailable (5xx, 429)"
    })
public final class AgentMain implements Callable<Integer> {
  static final double MIN_INTERVAL_S = CollectorConfig.MIN_INTERVAL_MS / 1000.0;
  private static final String SLUG = "[a-z0-9][a-z0-9_-]{0,63}";

  @Option(
      names = "--host",
      paramLabel = "URL",
      defaultValue = "${env:AI_DASHBOARD_HOST}",
      description =
          "The Trainwatch server's base URL, e.g. https://dashboard.example.com (AI_DASHBOARD_HOST).")
  String host;

  @Option(
      names = "--server-slug",
      paramLabel = "SLUG",
      defaultValue = "${env:AI_DASHBOARD_SERVER_SLUG}",
      description =
          "This host's slug, as registered with `trainwatch register-server` (AI_DASHBOARD_SERVER_SLUG).")
  String slug;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:AI_DASHBOARD_TOKEN}",
      description =
          "The ingest token register-server printed (AI_DASHBOARD_TOKEN; prefer the variable: "
              + "a command line is visible to every user of the host).")
  String token;

  @Option(
      names = "--hostname",
      paramLabel = "H",
      defaultValue = "${env:AI_DASHBOARD_HOSTNAME}",
      description = "Host name to report (AI_DASHBOARD_HOSTNAME; default: the kernel's).")
  String hostname;

  @Option(
      names = "--interval",
      paramLabel = "SECONDS",
      defaultValue = "${env:AI_DASHBOARD_INTERVAL:-2}",
      description =
          "Seconds between samples; below 0.5 is raised to 0.5 (AI_DASHBOARD_INTERVAL; default 2).")
  double interval;

  @Option(
      names = "--cpu-sample-interval",
      paramLabel = "SECONDS",
      defaultValue = "${env:AI_DASHBOARD_CPU_SAMPLE_INTERVAL:-0.2}",
      description =
          "With --once, the seconds between its two samples (a rate needs two); 0.05 to 10 "
              + "(AI_DASHBOARD_CPU_SAMPLE_INTERVAL; default 0.2).")
  double cpuSampleInterval;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "${env:AI_DASHBOARD_TIMEOUT:-5}",
      description =
          "Seconds to wait for a connection, and for the server's next bytes (AI_DASHBOARD_TIMEOUT; "
              + "default 5).")
  double timeout;

  @Option(
      names = "--once",
      description = "Take two samples, send them, exit 0 only if the server stored them.")
  boolean once;

  @Option(
      names = "--disks",
      paramLabel = "a,b",
      split = ",",
      defaultValue = "${env:AI_DASHBOARD_DISKS}",
      description =
          "Block devices to report, e.g. nvme0n1,nvme1n1 (AI_DASHBOARD_DISKS; default: every physical "
              + "whole disk).")
  List<String> disks;

  @Option(
      names = "--quiet",
      description = "Log only warnings and errors (unless --log-level says otherwise).")
  boolean quiet;

  @Option(
      names = "--insecure",
      description = "Skip TLS certificate and host-name verification. For testing only.")
  boolean insecure;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      defaultValue = "${env:AI_DASHBOARD_LOG_LEVEL}",
      description =
          "DEBUG, INFO, WARNING, ERROR or CRITICAL (AI_DASHBOARD_LOG_LEVEL; default INFO, or WARNING "
              + "with --quiet).")
  String logLevel;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description =
          "Metadata shown and filterable on the server; repeatable, e.g. --label rack=r1 "
              + "(AI_DASHBOARD_LABELS=rack=r1,role=trainer when no --label is given).")
  List<String> labels = new ArrayList<>();

  @Option(
      names = "--spool-dir",
      paramLabel = "DIR",
      defaultValue = "${env:AI_DASHBOARD_SPOOL_DIR}",
      description =
          "Where unsent snapshots wait (AI_DASHBOARD_SPOOL_DIR; default $STATE_DIRECTORY/spool under "
              + "systemd, else ~/.local/state/trainwatch-agent/spool).")
  Path spoolDir;

  @Option(
      names = "--spool-max-mb",
      paramLabel = "MB",
      defaultValue = "${env:AI_DASHBOARD_SPOOL_MAX_MB:-64}",
      description =
          "Disk bound of the spool; beyond it the oldest snapshots are dropped (AI_DASHBOARD_SPOOL_MAX_MB; "
              + "default 64: hours of an 8-GPU host at 1 Hz).")
  long spoolMaxMb;

  @Option(
      names = "--replay-rate",
      paramLabel = "N",
      defaultValue = "${env:AI_DASHBOARD_REPLAY_RATE:-60}",
      description =
          "Most snapshots per second sent while a backlog drains (AI_DASHBOARD_REPLAY_RATE; default 60).")
  int replayRate;

  @Option(
      names = "--max-backoff",
      paramLabel = "SECONDS",
      defaultValue = "${env:AI_DASHBOARD_MAX_BACKOFF:-60}",
      description =
          "Longest wait between retries while the server is away (AI_DASHBOARD_MAX_BACKOFF; default 60).")
  double maxBackoff;

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"trainwatch-agent " + AgentVersion.get()};
    }
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command; returns its exit code (for tests and {@link #main}). */
  public static int execute(String... args) {
    return new CommandLine(new AgentMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    AgentSettings s;
    try {
      s = settings();
    } catch (IllegalArgumentException e) {
      System.err.println("trainwatch-agent: " + e.getMessage());
      return 2;
    }
    LogLevels.apply(s.logLevel());
    return once ? OnceRun.run(s) : AgentRuntime.run(s);
  }

  AgentSettings settings() {
    URI uri = hostUri();
    if (slug == null || !slug.matches(SLUG)) {
      throw new IllegalArgumentException(
          "--server-slug (or AI_DASHBOARD_SERVER_SLUG) is required: lower-case "
              + "letters, digits, '-' or '_', at most 64"
              + (slug == null ? "" : "; got '" + slug + "'"));
    }
    String t = token == null ? null : token.strip();
    if (t == null
        || t.isEmpty()
        || t.length() > 256
        || t.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IllegalArgumentException(
          "--token (or AI_DASHBOARD_TOKEN) is required: the token "
              + "`trainwatch register-server` printed, one word of printable ASCII");
    }
    if (!(timeout > 0 && timeout <= 300)) {
      throw new IllegalArgumentException("--timeout must be above 0 and at most 300 seconds");
    }
    if (!(cpuSampleInterval >= 0.05 && cpuSampleInterval <= 10)) {
      throw new IllegalArgumentException("--cpu-sample-interval must be 0.05 to 10 seconds");
    }
    if (!(interval > 0 && interval <= 3600)) {
      throw new IllegalArgumentException("--interval must be above 0 and at most 3600 seconds");
    }
    if (spoolMaxMb < 1 || spoolMaxMb > 1024 * 1024) {
      throw new IllegalArgumentException("--spool-max-mb must be 1 to 1048576");
    }
    if (replayRate < 1 || replayRate > 10_000) {
      throw new IllegalArgumentException("--replay-rate must be 1 to 10000 snapshots per second");
    }
    if (!(maxBackoff >= 1 && maxBackoff <= 3600)) {
      throw new IllegalArgumentException("--max-backoff must be 1 to 3600 seconds");
    }
    LogLevels.Level level = LogLevels.parse(logLevel, quiet);
    long intervalMs = Math.round(Math.max(MIN_INTERVAL_S, interval) * 1000);
    JsonObject collector =
        new JsonObject()
            .put("server", slug)
            .put("interval_ms", intervalMs)
            .put("version", AgentVersion.get())
            .put("labels", new JsonObject(new LinkedHashMap<>(labels())));
    if (hostname != null && !hostname.isBlank()) {
      collector.put("hostname", hostname.strip());
    }
    List<String> d =
        disks == null
            ? List.of()
            : disks.stream().map(String::strip).filter(x -> !x.isEmpty()).toList();
    if (!d.isEmpty()) {
      collector.put("disks", new JsonArray(new ArrayList<>(d)));
    }
    CollectorConfig cfg = CollectorConfig.fromJson(collector);
    return new AgentSettings(
        uri,
        slug,
        t,
        cfg,
        interval < MIN_INTERVAL_S,
        Math.round(cpuSampleInterval * 1000),
        Math.round(timeout * 1000),
        insecure,
        level,
        spoolDir != null ? spoolDir : AgentSettings.defaultSpoolDir(System.getenv()),
        spoolMaxMb * 1024 * 1024,
        replayRate,
        Math.round(maxBackoff * 1000));
  }

  private URI hostUri() {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(
          "--host (or AI_DASHBOARD_HOST) is required: the Trainwatch server's URL, "
              + "e.g. http://dashboard-host:8080");
    }
    try {
      URI u = new URI(host.strip());
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")
          || u.getHost() == null
          || u.getRawQuery() != null
          || u.getRawFragment() != null
          || u.getRawUserInfo() != null) {
        throw new URISyntaxException(host, "not an http(s)://host[:port][/path] URL");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "--host must be http(s)://host[:port][/path], got '" + host + "'");
    }
  }

  private Map<String, String> labels() {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> given = labels;
    String env = System.getenv("AI_DASHBOARD_LABELS");
    if (given.isEmpty() && env != null && !env.isBlank()) {
      given = List.of(env.split(","));
    }
    for (String l : given) {
      int eq = l.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--label must be KEY=VALUE, got '" + l + "'");
      }
      out.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
    }
    return out;
  }
}
