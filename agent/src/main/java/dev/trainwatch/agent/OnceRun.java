package dev.trainwatch.agent;

import dev.trainwatch.agent.send.BatchBody;
import dev.trainwatch.agent.send.IngestClient;
import dev.trainwatch.agent.send.Outcome;
import dev.trainwatch.agent.send.SnapshotPayload;
import dev.trainwatch.bus.raw.GpuProcess;
import dev.trainwatch.bus.raw.RawSnapshot;
import dev.trainwatch.collector.HostSampler;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --once}: two samples {@code --cpu-sample-interval} apart (the server's rates need two),
 * sent as one batch; exit 0 only on the server's 202, else the problem's own code and its
 * troubleshooting line. Touches no spool, so it can run beside an installed agent as a connectivity
 * check.
 */
final class OnceRun {
  private static final Logger LOG = LoggerFactory.getLogger(OnceRun.class);

  private OnceRun() {}

  static int run(AgentSettings s) throws Exception {
    if (s.insecure()) {
      LOG.warn("TLS certificate verification is OFF (--insecure): for testing only");
    }
    byte[] first;
    byte[] second;
    SnapshotPayload codec = new SnapshotPayload();
    try (HostSampler sampler =
        HostSampler.open(s.collector(), new CompositeMeterRegistry(), (src, err) -> {})) {
      List<GpuProcess> processes = sampler.listsProcesses() ? sampler.sampleProcesses() : List.of();
      first = codec.encode(sampler.sample(processes));
      // The main thread of a command-line run, not an event loop: waiting here blocks nobody.
      Thread.sleep(s.cpuSampleIntervalMs());
      RawSnapshot b = sampler.sample(processes);
      second = codec.encode(b);
      LOG.info(
          "Sampled: {} GPUs ({}), {} disks, {} NICs",
          b.gpus().size(),
          sampler.gpuProvider(),
          b.disks().size(),
          b.networks().size());
    } catch (RuntimeException | LinkageError e) {
      System.err.println("trainwatch-agent: could not sample this host: " + e);
      return 1;
    }
    BatchBody body = BatchBody.build(codec, null, List.of(first, second), BatchBody.MAX_JSON_BYTES);
    codec.close();
    IngestClient client =
        new IngestClient(s.host(), s.slug(), s.token(), s.timeoutMs(), s.insecure(), s.userAgent());
    Outcome o = client.post(body.gzip());
    if (o.ok()) {
      System.out.println(
          "trainwatch-agent: "
              + body.snapshots()
              + " snapshots sent to "
              + client.url()
              + ": "
              + o.describe());
      return 0;
    }
    System.err.println("trainwatch-agent: sending to " + client.url() + " failed: " + o.describe());
    System.err.println("trainwatch-agent: " + o.problem().hint());
    return o.problem().exitCode();
  }
}
