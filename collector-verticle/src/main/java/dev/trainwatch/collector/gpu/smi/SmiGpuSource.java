package dev.trainwatch.collector.gpu.smi;

import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.GpuRaw;
import dev.trainwatch.collector.gpu.GpuConfig;
import dev.trainwatch.collector.gpu.GpuMetrics;
import dev.trainwatch.collector.gpu.GpuSource;
import dev.trainwatch.collector.gpu.GpuUnavailableException;
import dev.trainwatch.collector.gpu.StateLog;
import dev.trainwatch.collector.gpu.proc.ProcFs;
import dev.trainwatch.collector.gpu.proc.ProcessDetails;
import dev.trainwatch.collector.gpu.proc.UserNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPUs read by running {@code nvidia-smi} once per sample for all GPUs, for hosts where NVML cannot
 * be loaded by this process (e.g. a container with the binary but not the library on the loader
 * path). Costs a fork and 10–20 ms per call and has no energy, PCIe or XID data; the call blocks,
 * which is fine on the collector's worker.
 */
public final class SmiGpuSource implements GpuSource {
  private static final Logger LOG = LoggerFactory.getLogger(SmiGpuSource.class);
  private static final long TIMEOUT_MILLIS = 10_000;
  private static final String FORMAT = "--format=csv,noheader,nounits";

  private final Path executable;
  private final SmiQuery query;
  private final String reason;
  private final GpuMetrics metrics;
  private final CommandRunner runner;
  private final StateLog failures = new StateLog(LOG);
  private final ProcFs proc = ProcFs.system();
  private final UserNames users = UserNames.system();
  private volatile Map<String, Integer> indexByUuid = Map.of();

  private SmiGpuSource(
      Path executable, SmiQuery query, String reason, GpuMetrics metrics, CommandRunner runner) {
    this.executable = executable;
    this.query = query;
    this.reason = reason;
    this.metrics = metrics;
    this.runner = runner;
  }

  /** Finds nvidia-smi, picks the fields this driver knows, and checks one query works. */
  public static SmiGpuSource open(GpuConfig config, GpuMetrics metrics)
      throws GpuUnavailableException {
    Path exe = Executables.find(config.nvidiaSmi(), System.getenv("PATH"));
    if (exe == null) {
      throw new GpuUnavailableException(
          config.nvidiaSmi().contains("/")
              ? "nvidia-smi: " + config.nvidiaSmi() + " not found or not executable"
              : "nvidia-smi: not found on PATH");
    }
    CommandRunner runner = new CommandRunner(TIMEOUT_MILLIS);
    SmiQuery query = SmiQuery.choose(SmiQuery.validNames(help(runner, exe)));
    // an old driver rejects the whole query over one unknown field: drop (or rename) it and ask
    // again
    for (int attempt = 0; ; attempt++) {
      CommandRunner.Result r = run(runner, exe, query.argument(), FORMAT);
      if (r.ok()) {
        SmiCsv.Gpus parsed = SmiCsv.parseGpus(query, r.output());
        if (parsed.gpus().isEmpty()) {
          throw new GpuUnavailableException("nvidia-smi: no GPUs found (" + r.firstLine() + ")");
        }
        String reason =
            "nvidia-smi"
                + (parsed.driverVersion() == null ? "" : " " + parsed.driverVersion())
                + " at "
                + exe
                + ", "
                + parsed.gpus().size()
                + " GPU"
                + (parsed.gpus().size() == 1 ? "" : "s");
        SmiGpuSource source = new SmiGpuSource(exe, query, reason, metrics, runner);
        source.remember(parsed.gpus());
        return source;
      }
      String rejected = SmiQuery.rejectedName(r.output());
      SmiQuery narrower = rejected == null ? query : query.without(rejected);
      if (narrower.equals(query)
          || attempt > SmiField.values().length
          || !narrower.has(SmiField.INDEX)
          || !narrower.has(SmiField.UUID)) {
        throw new GpuUnavailableException(
            "nvidia-smi: "
                + (r.timedOut()
                    ? "timed out after " + TIMEOUT_MILLIS + " ms"
                    : r.firstLine() + " (exit " + r.exitCode() + ")"));
      }
      LOG.info("nvidia-smi rejects field {}; querying without it", rejected);
      query = narrower;
    }
  }

  private static String help(CommandRunner runner, Path exe) throws GpuUnavailableException {
    CommandRunner.Result r = run(runner, exe, "--help-query-gpu");
    return r.ok() ? r.output() : null;
  }

  private static CommandRunner.Result run(CommandRunner runner, Path exe, String... args)
      throws GpuUnavailableException {
    List<String> cmd = new ArrayList<>(List.of(exe.toString()));
    cmd.addAll(List.of(args));
    try {
      return runner.run(cmd);
    } catch (IOException e) {
      throw new GpuUnavailableException(
          "nvidia-smi: cannot run " + exe + " (" + e.getMessage() + ")");
    }
  }

  @Override
  public String provider() {
    return "nvidia-smi";
  }

  @Override
  public String reason() {
    return reason;
  }

  @Override
  public List<GpuRaw> sampleGpus() {
    return metrics.time("gpus", this::readGpus);
  }

  private synchronized List<GpuRaw> readGpus() {
    try {
      CommandRunner.Result r = runner.run(List.of(executable.toString(), query.argument(), FORMAT));
      if (!r.ok()) {
        failures.failed(
            "nvidia-smi --query-gpu",
            r.timedOut() ? "timed out" : r.firstLine() + " (exit " + r.exitCode() + ")",
            false);
        return List.of();
      }
      SmiCsv.Gpus parsed = SmiCsv.parseGpus(query, r.output());
      if (parsed.rejectedLines() > 0) {
        failures.failed(
            "nvidia-smi --query-gpu lines", parsed.rejectedLines() + " unparseable line(s)", false);
      } else {
        failures.ok("nvidia-smi --query-gpu lines");
      }
      failures.ok("nvidia-smi --query-gpu");
      remember(parsed.gpus());
      return parsed.gpus();
    } catch (IOException | RuntimeException e) {
      failures.failed("nvidia-smi --query-gpu", e.toString(), false);
      return List.of();
    }
  }

  private void remember(List<GpuRaw> gpus) {
    Map<String, Integer> m = new HashMap<>();
    for (GpuRaw g : gpus) {
      if (g.uuid() != null) {
        m.put(g.uuid(), g.index());
      }
    }
    indexByUuid = Map.copyOf(m);
  }

  @Override
  public List<GpuProcess> sampleProcesses() {
    return metrics.time("processes", this::readProcesses);
  }

  private synchronized List<GpuProcess> readProcesses() {
    try {
      CommandRunner.Result r =
          runner.run(List.of(executable.toString(), SmiCsv.PROCESS_QUERY, FORMAT));
      if (!r.ok()) {
        failures.failed(
            "nvidia-smi --query-compute-apps",
            r.timedOut() ? "timed out" : r.firstLine() + " (exit " + r.exitCode() + ")",
            false);
        return List.of();
      }
      failures.ok("nvidia-smi --query-compute-apps");
      List<GpuProcess> out = new ArrayList<>();
      for (SmiCsv.Process p : SmiCsv.parseProcesses(r.output())) {
        Integer index = p.gpuUuid() == null ? null : indexByUuid.get(p.gpuUuid());
        if (index == null) {
          // a GPU that appeared since the last GPU sample; it will be attributed next time
          continue;
        }
        ProcessDetails d = ProcessDetails.of(p.pid(), proc, users).withCommandFallback(p.name());
        out.add(
            new GpuProcess(
                p.pid(), index, p.usedBytes(), "compute", d.user(), d.command(), d.container()));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      failures.failed("nvidia-smi --query-compute-apps", e.toString(), false);
      return List.of();
    }
  }

  /** The fields this driver was asked for; for tests and logs. */
  String query() {
    return query.toString();
  }

  @Override
  public void close() {}
}
