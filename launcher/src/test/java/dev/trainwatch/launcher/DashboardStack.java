package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * What the browser tests share: the whole embedded stack serving the UI from {@code ui/} (sampling
 * at 500 ms), clients for ingest and for the API (a reader's token), one-time sign-in links, and
 * Chromium, whose absence aborts the test loudly (reported as skipped, never passed).
 */
final class DashboardStack implements AutoCloseable {
  private static final List<String> CHROMIUM =
      List.of(
          "/usr/bin/chromium",
          "/usr/bin/chromium-browser",
          "/usr/bin/google-chrome",
          "/usr/bin/google-chrome-stable");

  final Path dataDir;
  final RunCommand.Running running;
  final Vertx vertx;
  final WebClient http;

  /**
   * A reader's API token: reads everything, changes nothing (the browser signs in with one-time
   * links instead).
   */
  final WebClient reader;

  private DashboardStack(Path dataDir, RunCommand.Running running) throws Exception {
    this.dataDir = dataDir;
    this.running = running;
    this.vertx = Vertx.vertx();
    this.http = WebClient.create(vertx);
    this.reader =
        TestCredentials.client(vertx, TestCredentials.apiToken(running.vertx(), "reader"));
  }

  /** The Chromium executable, or the calling test aborted with a message nobody can miss. */
  /**
   * Headless Chromium's command line as every browser test starts it; callers add their own flags.
   */
  static List<String> headless(String chromium) {
    return new ArrayList<>(
        List.of(
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--no-default-browser-check",
            "--hide-scrollbars",
            "--mute-audio"));
  }

  static String chromiumOrAbort(String what) {
    String found =
        CHROMIUM.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
    if (found == null) {
      System.err.println("*** chromium not installed: " + what + " NOT tested ***");
      Assumptions.abort("chromium not installed: " + what + " NOT tested");
    }
    return found;
  }

  static DashboardStack start(Path dataDir) throws Exception {
    Path ui = Path.of("..", "ui").toAbsolutePath().normalize();
    assertThat(ui.resolve("index.html")).as("dashboard sources").exists();
    JsonObject config =
        ConfigLoader.load(
            null,
            Map.of(
                "TRAINWATCH_DATA_DIR", dataDir.toString(),
                "TRAINWATCH_HTTP_PORT", "0",
                "TRAINWATCH_COLLECTOR_INTERVAL_MS", "500",
                "TRAINWATCH_RATES_NOMINAL_INTERVAL_MS", "500",
                "TRAINWATCH_COLLECTOR_GPU_ENABLED", "false",
                "TRAINWATCH_GATEWAY_UI_DIR", ui.toString()));
    return new DashboardStack(
        dataDir, RunCommand.Running.start(config, Role.expand(EnumSet.of(Role.ALL)), false));
  }

  String url(String path) {
    return "http://127.0.0.1:" + running.httpPort() + path;
  }

  /** A one-time sign-in URL from {@code trainwatch login-url} that lands on {@code path}. */
  String signedIn(String path) throws Exception {
    Matcher m = Pattern.compile("token=([A-Za-z0-9_-]{43})").matcher(Cli.run(dataDir, "login-url"));
    assertThat(m.find()).as("login-url printed a token").isTrue();
    return url(
        "/login?token=" + m.group(1) + "&next=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
  }

  /** One snapshot through ingest, as an agent posts it; completes with the status code. */
  Future<Integer> ingest(String slug, String token, JsonObject snapshot) {
    return http.post(running.httpPort(), "127.0.0.1", "/api/ingest/servers/" + slug + "/metrics/")
        .putHeader("content-type", "application/json")
        .putHeader("x-monitoring-token", token)
        .sendBuffer(snapshot.toBuffer())
        .map(r -> r.statusCode());
  }

  /**
   * Until the server's latest snapshot carries a bottleneck label and CPU rates (rates need two
   * samples).
   */
  Future<Boolean> untilClassified(String slug, int attempts) {
    return poll(
        () ->
            reader
                .get(running.httpPort(), "127.0.0.1", "/api/metrics/latest/")
                .addQueryParam("server", slug)
                .send()
                .map(
                    r ->
                        r.statusCode() == 200
                            && r.bodyAsJsonObject().getJsonObject("bottleneck") != null
                            && r.bodyAsJsonObject()
                                .getJsonObject("cpu")
                                .containsKey("utilization")),
        ok -> ok,
        attempts,
        50);
  }

  /**
   * Asks again every {@code everyMs} (a timer, never a sleeping thread) until the answer passes
   * {@code done}, at most {@code attempts} more times; completes with the last answer either way.
   */
  <T> Future<T> poll(Supplier<Future<T>> ask, Predicate<T> done, int attempts, long everyMs) {
    return ask.get()
        .compose(
            answer -> {
              if (done.test(answer) || attempts == 0) {
                return Future.succeededFuture(answer);
              }
              Promise<Void> later = Promise.promise();
              vertx.setTimer(everyMs, t -> later.complete());
              return later.future().compose(v -> poll(ask, done, attempts - 1, everyMs));
            });
  }

  private long feeder = -1;

  /**
   * Runs {@code send} every {@code everyMs}, as an agent's interval would, until {@link #close()}.
   */
  void feed(long everyMs, Runnable send) {
    feeder = vertx.setPeriodic(everyMs, t -> send.run());
  }

  @Override
  public void close() throws Exception {
    // No snapshot is sent into a stack that is stopping.
    vertx.cancelTimer(feeder);
    vertx.close().await(10, TimeUnit.SECONDS);
    running.close();
  }
}
