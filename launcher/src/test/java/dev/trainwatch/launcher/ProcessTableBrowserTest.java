package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.launcher.AlertsBrowserTest.Browser;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU process table of the server view (nvitop's process list) in a real headless Chromium
 * against the whole embedded stack: {@code procs} reports four GPU processes through ingest every
 * 500 ms. Driven over the DevTools protocol ({@link Browser}) because it must click headers, type a
 * filter and watch the table keep its order and focus while live samples keep arriving. To tell a
 * later sample from an earlier one, the test changes carol's GPU memory and waits for the new
 * figure to show.
 */
class ProcessTableBrowserTest {
  /** A command long enough to be cut in the middle. */
  static final String LONG =
      "python train.py --config configs/llama-70b-pretrain.yaml --data /datasets/pile/shards"
          + " --nnodes 4 --rank 3";

  @TempDir static Path dataDir;
  @TempDir static Path browserDir;
  static DashboardStack stack;
  static String chromium;

  /** carol's GPU memory in GiB; the test raises it to see a new sample land. */
  static final AtomicLong carolGib = new AtomicLong(5);

  @BeforeAll
  static void start() throws Exception {
    chromium = DashboardStack.chromiumOrAbort("process table");
    stack = DashboardStack.start(dataDir);
    String token = Cli.run(dataDir, "register-server", "procs").trim();
    AtomicLong seq = new AtomicLong();
    for (int i = 0; i < 2; i++) {
      assertThat(ingest(token, seq.incrementAndGet()).await(20, TimeUnit.SECONDS)).isEqualTo(202);
    }
    stack.feed(500, () -> ingest(token, seq.incrementAndGet()));
    assertThat(stack.untilClassified("procs", 200).await(30, TimeUnit.SECONDS))
        .as("procs classified")
        .isTrue();
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void theProcessTableSortsFiltersShortensAndKeepsItsStateAcrossLiveFrames() throws Exception {
    try (Browser b = Browser.launch(chromium, Files.createTempDirectory(browserDir, "profile"))) {
      b.navigate(stack.signedIn("/?server=procs"));
      b.waitUntil(
          "the server view with four processes",
          "document.body.dataset.ready === '1' && " + pids() + ".length === 4");
      // Default order: by GPU, then biggest first.
      assertThat(b.eval(pids() + ".join()")).isEqualTo("101,303,404,202");
      assertThat(b.eval("document.querySelector('#proc-card .count').textContent")).isEqualTo("4");
      assertThat(b.eval("document.querySelectorAll('#proc-card th button').length"))
          .as("every header a button")
          .isEqualTo(6);
      assertThat(b.eval("document.querySelector('#proc-card th[aria-sort]') === null"))
          .as("no column chosen yet")
          .isEqualTo(true);

      // Memory as a bar against its GPU's memory (404 holds 60 of GPU 1's 80 GiB) next to the
      // figure; absent is "—".
      assertThat(
              b.eval(cell(404, 3) + ".querySelector('[role=meter]').getAttribute('aria-valuenow')"))
          .isEqualTo("75");
      assertThat(b.eval(cell(404, 3) + ".textContent.trim()")).isEqualTo("60.0 GiB");
      assertThat(b.eval(cell(404, 5) + ".textContent")).as("absent container").isEqualTo("—");

      // The long command is cut in the middle, the whole of it in the title.
      String shortCmd = (String) b.eval(cell(101, 4) + ".textContent");
      assertThat(shortCmd).startsWith("python train.py").endsWith("--rank 3").contains("…");
      assertThat(shortCmd.length()).isLessThan(LONG.length());
      assertThat(b.eval(cell(101, 4) + ".title")).isEqualTo(LONG);
      // An agent's markup is text, never an element.
      assertThat(b.eval(cell(202, 4) + ".textContent"))
          .isEqualTo("python eval.py --tag <img src=x>");
      assertThat(b.eval("document.querySelector('#proc-card img') === null"))
          .as("no img element")
          .isEqualTo(true);

      // Memory header: biggest first, then again smallest first.
      b.eval(header("used_memory_bytes") + ".querySelector('button').click(); true");
      b.waitUntil("sorted by memory, descending", pids() + ".join() === '404,202,101,303'");
      assertThat(b.eval(header("used_memory_bytes") + ".getAttribute('aria-sort')"))
          .isEqualTo("descending");
      b.eval(header("used_memory_bytes") + ".querySelector('button').click(); true");
      b.waitUntil("sorted by memory, ascending", pids() + ".join() === '303,101,202,404'");
      assertThat(b.eval(header("used_memory_bytes") + ".getAttribute('aria-sort')"))
          .isEqualTo("ascending");
      assertThat(b.eval("document.querySelectorAll('#proc-card th[aria-sort]').length"))
          .isEqualTo(1);

      // The sort survives live frames: carol (303) grows past everyone and moves to the end, still
      // ascending.
      carolGib.set(70);
      b.waitUntil(
          "the next sample, still ascending",
          cell(303, 3)
              + ".textContent.trim() === '70.0 GiB'"
              + " && "
              + pids()
              + ".join() === '101,202,404,303'");
      assertThat(b.eval(header("used_memory_bytes") + ".getAttribute('aria-sort')"))
          .isEqualTo("ascending");

      // The filter (user or command, any case) narrows the rows and keeps the focus while samples
      // arrive.
      b.eval(
          "(() => { const q = document.querySelector('#proc-q'); q.focus(); q.value = 'ALICE';"
              + " q.dispatchEvent(new Event('input')); return true; })()");
      b.waitUntil("only alice", pids() + ".join() === '101'");
      assertThat(b.eval("document.querySelector('#proc-card .count').textContent"))
          .isEqualTo("1 of 4");
      b.eval(
          "(() => { const q = document.querySelector('#proc-q'); q.value = 'torchrun';"
              + " q.dispatchEvent(new Event('input')); return true; })()");
      b.waitUntil("a command match", pids() + ".join() === '404'");
      b.eval(
          "(() => { const q = document.querySelector('#proc-q'); q.value = 'carol';"
              + " q.dispatchEvent(new Event('input')); return true; })()");
      b.waitUntil("only carol", pids() + ".join() === '303'");
      carolGib.set(71);
      b.waitUntil(
          "the next sample, still filtered and focused",
          cell(303, 3)
              + ".textContent.trim() === '71.0 GiB'"
              + " && "
              + pids()
              + ".join() === '303' && document.activeElement === document.querySelector('#proc-q')");
      assertThat(b.eval("document.querySelector('#proc-q').value")).isEqualTo("carol");
      b.eval(
          "(() => { const q = document.querySelector('#proc-q'); q.value = '';"
              + " q.dispatchEvent(new Event('input')); return true; })()");
      b.waitUntil("every row back, the sort kept", pids() + ".join() === '101,202,404,303'");
      assertThat(b.eval("document.activeElement === document.querySelector('#proc-q')"))
          .as("focus kept")
          .isEqualTo(true);
    }
  }

  // ---- page expressions
  // -----------------------------------------------------------------------------------------

  /** The PIDs of the rows shown, in order. */
  private static String pids() {
    return "[...document.querySelectorAll('#proc-card tbody tr')].map((r) => r.dataset.pid)";
  }

  private static String cell(int pid, int column) {
    return "document.querySelector('#proc-card tbody tr[data-pid=\""
        + pid
        + "\"]').cells["
        + column
        + "]";
  }

  private static String header(String key) {
    return "document.querySelector('#proc-card th[data-key=\"" + key + "\"]')";
  }

  // ---- data
  // -----------------------------------------------------------------------------------------------------

  private static Future<Integer> ingest(String token, long seq) {
    return stack.ingest("procs", token, snapshot(seq));
  }

  /** Two 80 GiB GPUs and four processes of four users; dave's has no container. */
  private static JsonObject snapshot(long seq) {
    JsonArray gpus = new JsonArray();
    for (int i = 0; i < 2; i++) {
      gpus.add(BrowserHost.gpu(i, "procs", seq, 80, 60, 55, 400.0, 200_000L));
    }
    return BrowserHost.snapshot("procs-host", "procs-test", seq, gpus)
        .put(
            "gpu_processes",
            new JsonArray()
                .add(process(101, 0, 20, "alice", LONG).put("container", "trainer-1"))
                .add(
                    process(202, 1, 40, "bob", "python eval.py --tag <img src=x>")
                        .put("container", "eval-2"))
                .add(
                    process(303, 0, carolGib.get(), "carol", "jupyter-lab --port 8888")
                        .put("container", "notebook"))
                .add(process(404, 1, 60, "dave", "torchrun --nproc_per_node 8 finetune.py")));
  }

  private static JsonObject process(int pid, int gpu, long gib, String user, String command) {
    return new JsonObject()
        .put("pid", pid)
        .put("gpu_index", gpu)
        .put("used_memory_bytes", gib << 30)
        .put("user", user)
        .put("command", command);
  }
}
