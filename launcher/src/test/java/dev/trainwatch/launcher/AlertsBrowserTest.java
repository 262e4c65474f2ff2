package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerts UI in a real headless Chromium against the whole embedded stack. A GPU server is fed
 * through ingest as in {@link DashboardBrowserTest}; one snapshot carries an XID 79 on GPU 1, which
 * the built-in {@code gpu-xid} rule turns into a critical alert that stays firing until
 * acknowledged. Unlike the dashboard test, this one has to act (click Acknowledge) and watch a page
 * change without reloading, so it drives Chromium over the DevTools protocol instead of {@code
 * --dump-dom}.
 */
class AlertsBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dataDir;
  @TempDir static Path browserDir;
  static DashboardStack stack;
  static RunCommand.Running running;
  static Vertx vertx;
  static WebClient http;

  /** A reader's API token: reads alerts, may not acknowledge them. */
  static WebClient reader;

  static String chromium;

  /**
   * Set to put an XID into the next snapshot the feeder sends (once: a driver reports an XID event
   * once).
   */
  static final AtomicBoolean xidNext = new AtomicBoolean();

  @BeforeAll
  static void start() throws Exception {
    chromium = DashboardStack.chromiumOrAbort("alerts UI");
    stack = DashboardStack.start(dataDir);
    running = stack.running;
    vertx = stack.vertx;
    http = stack.http;
    reader = stack.reader;

    String token = Cli.run(dataDir, "register-server", "demo", "--name", "gpu-box-01").trim();
    AtomicLong seq = new AtomicLong();
    assertThat(ingest(token, seq.incrementAndGet(), false).await(20, TimeUnit.SECONDS))
        .isEqualTo(202);
    assertThat(ingest(token, seq.incrementAndGet(), false).await(20, TimeUnit.SECONDS))
        .isEqualTo(202);
    stack.feed(
        500,
        () -> {
          boolean xid = xidNext.getAndSet(false);
          ingest(token, seq.incrementAndGet(), xid)
              .onComplete(
                  r -> {
                    if (xid && !(r.succeeded() && r.result() == 202)) {
                      xidNext.set(
                          true); // not stored, so not seen by the rules: the next snapshot carries
                      // it instead
                    }
                  });
        });
    assertThat(stack.untilClassified("demo", 200).await(30, TimeUnit.SECONDS))
        .as("demo classified")
        .isTrue();
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void anXidAlertArrivesLiveMarksItsGpuAndIsAcknowledgedFromThePanel() throws Exception {
    try (Browser b = Browser.launch(chromium, Files.createTempDirectory(browserDir, "profile"))) {
      b.navigate(stack.signedIn("/?server=demo"));
      b.waitUntil(
          "the dashboard and the alert list loaded",
          "document.body.dataset.ready === '1' && document.querySelector('#alerts').dataset.loaded === '1'");
      assertThat(b.eval("document.querySelector('#gpus .alert-mark') === null"))
          .as("no GPU mark yet")
          .isEqualTo(true);
      assertThat(b.eval(option("demo") + ".dataset.alerts ?? 'none'"))
          .as("no badge on demo yet")
          .isEqualTo("none");
      // The signed-in user (an admin through the one-time link) may acknowledge: the role is known
      // to the page.
      b.waitUntil("the user menu", "!document.querySelector('#user').hidden");

      // The XID arrives while the page is open: nothing reloads, so the row can only come from the
      // alerts channel.
      xidNext.set(true);
      JsonObject alert =
          untilAlert(
              a -> a.getInteger("gpu_index", -1) == 1 && "firing".equals(a.getString("state")));
      String id = alert.getString("id");
      assertThat(alert.getString("severity")).isEqualTo("critical");
      assertThat(alert.getString("resolve")).isEqualTo("ack");
      b.waitUntil(
          "the firing XID alert in the panel", row(id, "r && r.dataset.state === 'firing'"));

      String rowText = (String) b.eval(row(id, "r.textContent.replace(/\\s+/g, ' ')"));
      assertThat(b.eval(row(id, "r.parentElement.id")))
          .as("listed with the open alerts")
          .isEqualTo("alerts-open");
      assertThat(rowText)
          .contains("critical")
          .contains(alert.getString("rule"))
          .contains("demo · GPU 1")
          .contains("firing")
          .contains(alert.getString("message"));
      assertThat(b.eval(row(id, "r.dataset.severity"))).isEqualTo("critical");
      assertThat(b.eval(row(id, "r.querySelector('time').title.length > 0")))
          .as("absolute time in a title")
          .isEqualTo(true);
      assertThat(b.eval(row(id, "r.querySelector('button[data-ack]')?.textContent")))
          .isEqualTo("Acknowledge");

      // The server's badge, in words and as data, and the GPU card's mark with the message in its
      // title.
      b.waitUntil("the badge on demo", option("demo") + ".dataset.alerts === '1'");
      assertThat(b.eval(option("demo") + ".dataset.severity")).isEqualTo("critical");
      assertThat((String) b.eval(option("demo") + ".textContent")).contains("⚠ 1 critical");
      assertThat(b.eval(gpuCard(1) + ".querySelector('.alert-mark')?.title"))
          .isEqualTo(alert.getString("message"));
      assertThat((String) b.eval(gpuCard(1) + ".querySelector('.alert-mark').textContent"))
          .contains("critical");
      assertThat(b.eval(gpuCard(0) + ".querySelector('.alert-mark') === null"))
          .as("GPU 0 unmarked")
          .isEqualTo(true);
      assertThat((String) b.eval("document.querySelector('#alerts-badge').textContent"))
          .as("header badge")
          .containsPattern("[1-9]\\d* firing");
      assertThat(b.eval("document.querySelector('#alerts-badge').hidden")).isEqualTo(false);

      Path png = Path.of("target", "alerts.png").toAbsolutePath();
      b.screenshot(png, 1440, 900);
      assertThat(Files.size(png)).as("screenshot size").isGreaterThan(20_000);
      // Narrow screens: the panel wraps instead of pushing the page sideways.
      b.screenshot(Path.of("target", "alerts-narrow.png").toAbsolutePath(), 420, 900);
      assertThat(b.eval("document.documentElement.scrollWidth <= 420"))
          .as("no sideways scroll at 420 px")
          .isEqualTo(true);
      b.resize(1440, 900);

      // A reader may not acknowledge (the server's word, which the page relies on), and the refusal
      // changes nothing.
      int refused =
          reader
              .post(running.httpPort(), "127.0.0.1", "/api/alerts/" + id + "/ack")
              .putHeader("content-type", "application/json")
              .sendBuffer(Buffer.buffer("{}"))
              .await(10, TimeUnit.SECONDS)
              .statusCode();
      assertThat(refused).isEqualTo(403);

      // The click: an XID is acknowledged by resolving it, so the row moves to the resolved list,
      // saying who.
      b.eval(row(id, "r.querySelector('button[data-ack]').click()"));
      b.waitUntil(
          "the acknowledged alert resolved in the panel",
          row(
              id,
              "r && r.dataset.state === 'resolved' && r.textContent.replace(/\\s+/g, ' ').includes('Acknowledged by')"));
      JsonObject acked =
          untilAlert(a -> id.equals(a.getString("id")) && a.getString("acknowledged_by") != null);
      assertThat(acked.getString("state")).isEqualTo("resolved");
      assertThat((String) b.eval(row(id, "r.textContent.replace(/\\s+/g, ' ')")))
          .contains("Acknowledged by " + acked.getString("acknowledged_by"));
      assertThat(b.eval(row(id, "r.parentElement.id"))).isEqualTo("alerts-resolved");
      assertThat(b.eval(row(id, "r.querySelector('button') === null")))
          .as("nothing left to click")
          .isEqualTo(true);
      // Said when the POST answers, which may be after the live frame has already moved the row.
      b.waitUntil(
          "the acknowledgement said in the status line",
          "document.querySelector('#alerts-status').textContent.startsWith('Acknowledged ')");
      b.waitUntil("the GPU mark gone", gpuCard(1) + ".querySelector('.alert-mark') === null");
      b.waitUntil("the badge on demo gone", option("demo") + ".dataset.alerts === undefined");

      // A fresh page reads the same over HTTP.
      b.navigate(stack.url("/?server=demo"));
      b.waitUntil(
          "the reloaded alert list",
          "document.querySelector('#alerts').dataset.loaded === '1'"
              + " && document.body.dataset.ready === '1'");
      b.waitUntil(
          "the resolved alert after a reload", row(id, "r && r.dataset.state === 'resolved'"));
      assertThat((String) b.eval(row(id, "r.textContent.replace(/\\s+/g, ' ')")))
          .contains("Acknowledged by " + acked.getString("acknowledged_by"));
      assertThat(b.eval(gpuCard(1) + ".querySelector('.alert-mark') === null")).isEqualTo(true);
    }
  }

  // ---- page expressions
  // -----------------------------------------------------------------------------------------

  /**
   * {@code expr} with {@code r} bound to the alert row of {@code id} (or undefined), as one
   * expression.
   */
  private static String row(String id, String expr) {
    return "(() => { const r = [...document.querySelectorAll('#alerts li.alert')].find((li) => li.dataset.id === "
        + Json.encode(id)
        + "); return "
        + expr
        + "; })()";
  }

  private static String option(String slug) {
    return "document.querySelector('#server option[value=\"" + slug + "\"]')";
  }

  private static String gpuCard(int index) {
    return "document.querySelector('#gpu-" + index + "-title').closest('article')";
  }

  // ---- data
  // -----------------------------------------------------------------------------------------------------

  /**
   * Until {@code GET /api/alerts?server=demo} lists an alert matching {@code test}; fails after
   * {@link #WAIT}.
   */
  private static JsonObject untilAlert(Predicate<JsonObject> test) throws Exception {
    Predicate<JsonObject> listed =
        list ->
            list.getJsonArray("alerts", new JsonArray()).stream()
                .anyMatch(
                    o ->
                        o instanceof JsonObject a
                            && "demo".equals(a.getString("server"))
                            && test.test(a));
    JsonObject last =
        stack
            .poll(
                () ->
                    reader
                        .get(running.httpPort(), "127.0.0.1", "/api/alerts")
                        .addQueryParam("server", "demo")
                        .send()
                        .map(r -> r.statusCode() == 200 ? r.bodyAsJsonObject() : new JsonObject()),
                listed,
                (int) (WAIT.toMillis() / 200),
                200)
            .await(WAIT.toSeconds() + 10, TimeUnit.SECONDS);
    return last.getJsonArray("alerts", new JsonArray()).stream()
        .map(o -> (JsonObject) o)
        .filter(a -> "demo".equals(a.getString("server")) && test.test(a))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no such alert within " + WAIT + "; last list: " + last));
  }

  private static Future<Integer> ingest(String token, long seq, boolean xid) {
    return stack.ingest("demo", token, snapshot(seq, xid));
  }

  /**
   * A healthy 2-GPU box (moderate load, cool, no throttling), so that the XID is the only thing any
   * rule can fire on; with {@code xid}, GPU 1 reports an XID 79 (fallen off the bus) stamped now.
   */
  private static JsonObject snapshot(long seq, boolean xid) {
    JsonArray gpus = new JsonArray();
    for (int i = 0; i < 2; i++) {
      gpus.add(BrowserHost.gpu(i, "alerts", seq, 60, 30, 50, 300.0, 150_000L));
    }
    JsonObject s = BrowserHost.snapshot("gpu-box-01", "alerts-test", seq, gpus);
    if (xid) {
      gpus.getJsonObject(1)
          .put(
              "xid_events",
              new JsonArray().add(new JsonObject().put("xid", 79).put("ts", s.getString("ts"))));
    }
    return s;
  }

  // ---- browser
  // --------------------------------------------------------------------------------------------------

  /**
   * Headless Chromium under the DevTools protocol (the JDK's WebSocket client, no extra
   * dependency): navigate, evaluate, wait for a condition, resize, screenshot. One page, one
   * profile, so a sign-in lasts for the test.
   */
  static final class Browser implements AutoCloseable {
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    /**
     * Chromium writes the id first; replies are matched on it without parsing (a screenshot is
     * megabytes).
     */
    private static final Pattern REPLY_ID = Pattern.compile("^\\{\"id\":(\\d+)[,}]");

    private static final Pattern PNG_DATA = Pattern.compile("\"data\":\"([A-Za-z0-9+/=]+)\"");
    private final Process process;
    private final WebSocket ws;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<String>> calls = new ConcurrentHashMap<>();

    private Browser(Process process, String pageWs) throws Exception {
      this.process = process;
      this.ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .buildAsync(URI.create(pageWs), new Listener())
              .get(20, TimeUnit.SECONDS);
    }

    static Browser launch(String chromium, Path profile) throws Exception {
      List<String> cmd = DashboardStack.headless(chromium);
      cmd.addAll(
          List.of(
              "--remote-debugging-port=0",
              "--remote-allow-origins=*",
              "--window-size=1440,900",
              "--user-data-dir=" + profile,
              "about:blank"));
      Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      try {
        // Chromium says where DevTools listens on stderr; the rest of stderr is drained so it never
        // blocks.
        CompletableFuture<String> endpoint = new CompletableFuture<>();
        StringBuilder err = new StringBuilder();
        Thread drain =
            new Thread(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                      Matcher m = DEVTOOLS.matcher(line);
                      if (m.find()) {
                        endpoint.complete(m.group(1));
                      } else if (!endpoint.isDone() && err.length() < 20_000) {
                        err.append(line).append('\n');
                      }
                    }
                  } catch (IOException ignored) {
                    // the process ended
                  }
                  endpoint.completeExceptionally(
                      new IllegalStateException("chromium exited early:\n" + err));
                },
                "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        URI browser = URI.create(endpoint.get(30, TimeUnit.SECONDS));
        String list =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://"
                                    + browser.getHost()
                                    + ":"
                                    + browser.getPort()
                                    + "/json/list"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        String page =
            new JsonArray(list)
                .stream()
                    .map(JsonObject.class::cast)
                    .filter(t -> "page".equals(t.getString("type")))
                    .findFirst()
                    .orElseThrow()
                    .getString("webSocketDebuggerUrl");
        return new Browser(p, page);
      } catch (Exception | Error e) {
        p.destroyForcibly();
        throw e;
      }
    }

    /**
     * The reply's {@code result}; replies are small except screenshots, which {@link #screenshot}
     * reads raw.
     */
    JsonObject call(String method, JsonObject params) throws Exception {
      JsonObject r = new JsonObject(send(method, params));
      if (r.containsKey("error")) {
        throw new IllegalStateException(method + ": " + r.getJsonObject("error").encode());
      }
      return r.getJsonObject("result");
    }

    private String send(String method, JsonObject params) throws Exception {
      int id = ids.incrementAndGet();
      CompletableFuture<String> reply = new CompletableFuture<>();
      calls.put(id, reply);
      ws.sendText(
              new JsonObject().put("id", id).put("method", method).put("params", params).encode(),
              true)
          .get(10, TimeUnit.SECONDS);
      return reply.get(30, TimeUnit.SECONDS);
    }

    void navigate(String url) throws Exception {
      call("Page.navigate", new JsonObject().put("url", url));
    }

    /**
     * The value of a page expression (promises awaited); a thrown exception fails the test with its
     * text.
     */
    Object eval(String expression) throws Exception {
      JsonObject r =
          call(
              "Runtime.evaluate",
              new JsonObject()
                  .put("expression", expression)
                  .put("returnByValue", true)
                  .put("awaitPromise", true));
      if (r.containsKey("exceptionDetails")) {
        throw new IllegalStateException(
            "page threw on " + expression + ": " + r.getJsonObject("exceptionDetails").encode());
      }
      return r.getJsonObject("result").getValue("value");
    }

    /**
     * Until {@code expression} is true in the page; a page mid-navigation or an exception counts as
     * not yet.
     */
    void waitUntil(String what, String expression) throws Exception {
      long deadline = System.nanoTime() + WAIT.toNanos();
      Exception last = null;
      // The page itself waits (its own timers, up to 2 s a call) and answers when the condition
      // holds: no test thread
      // sleeps. An error (the page between two documents while it navigates) is asked again.
      String waiting =
          "new Promise((done) => { const until = Date.now() + 2000; const check = () => { let ok = false;"
              + " try { ok = ("
              + expression
              + ") === true; } catch (e) { ok = false; }"
              + " if (ok || Date.now() > until) { done(ok); } else { setTimeout(check, 50); } }; check(); })";
      while (System.nanoTime() < deadline) {
        try {
          if (Boolean.TRUE.equals(eval(waiting))) {
            return;
          }
        } catch (IllegalStateException e) {
          last = e;
        }
      }
      String panel;
      try {
        panel = String.valueOf(eval("document.querySelector('#alerts')?.innerText"));
      } catch (Exception e) {
        panel = "(unreadable: " + e.getMessage() + ")";
      }
      throw new AssertionError(
          "not within "
              + WAIT
              + ": "
              + what
              + (last == null ? "" : "; last error: " + last.getMessage())
              + "\nalerts panel:\n"
              + panel);
    }

    void resize(int width, int height) throws Exception {
      call(
          "Emulation.setDeviceMetricsOverride",
          new JsonObject()
              .put("width", width)
              .put("height", height)
              .put("deviceScaleFactor", 1)
              .put("mobile", false));
    }

    void screenshot(Path png, int width, int height) throws Exception {
      resize(width, height);
      // Two frames: layout, then the canvases' redraw on resize (a timer in the page in case frames
      // are throttled).
      eval(
          "new Promise((done) => { requestAnimationFrame(() => requestAnimationFrame(done)); setTimeout(done, 1000); })");
      // Raw: the stack's JSON reader refuses strings over 64 KiB (hardening), and the image is one
      // such string.
      String reply = send("Page.captureScreenshot", new JsonObject().put("format", "png"));
      Matcher m = PNG_DATA.matcher(reply);
      if (!m.find()) {
        throw new IllegalStateException(
            "Page.captureScreenshot: " + reply.substring(0, Math.min(500, reply.length())));
      }
      String data = m.group(1);
      Files.createDirectories(png.getParent());
      Files.write(png, Base64.getDecoder().decode(data));
    }

    @Override
    public void close() throws Exception {
      ws.abort();
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }

    private final class Listener implements WebSocket.Listener {
      private final StringBuilder text = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          String message = text.toString();
          text.setLength(0);
          Matcher m = REPLY_ID.matcher(message);
          CompletableFuture<String> reply =
              m.find() ? calls.remove(Integer.valueOf(m.group(1))) : null; // else an event
          if (reply != null) {
            reply.complete(message);
          }
        }
        socket.request(1);
        return null;
      }

      @Override
      public void onError(WebSocket socket, Throwable error) {
        failAll(error);
      }

      @Override
      public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
        failAll(new IllegalStateException("DevTools socket closed: " + status + " " + reason));
        return null;
      }

      /**
       * A dead socket answers nothing more: every call waiting on it fails now, with the cause, not
       * in 30 s.
       */
      private void failAll(Throwable cause) {
        calls.values().forEach(c -> c.completeExceptionally(cause));
        calls.clear();
      }
    }
  }
}
