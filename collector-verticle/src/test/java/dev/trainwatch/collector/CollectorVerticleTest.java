package dev.trainwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.bus.raw.RawSnapshot;
import dev.trainwatch.bus.raw.SampleAck;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CollectorVerticleTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static DeploymentOptions config(JsonObject collector) {
    return new DeploymentOptions().setConfig(collector.put("interval_ms", 500));
  }

  @Test
  void samplesArriveInOrderAndNeverOverlap(Vertx vertx, VertxTestContext ctx) {
    List<RawSample> got = new ArrayList<>();
    AtomicBoolean awaitingReply = new AtomicBoolean();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.RAW_SAMPLE);
    consumer.handler(
        msg -> {
          ctx.verify(
              () ->
                  assertThat(awaitingReply.getAndSet(true))
                      .as("a sample was sent before the previous one was answered")
                      .isFalse());
          got.add(RawSample.fromJson(msg.body())); // the rates service's own validator
          // Answer later than the interval: a collector that did not wait would send again
          // meanwhile.
          vertx.setTimer(
              700,
              id -> {
                awaitingReply.set(false);
                msg.reply(new SampleAck(false).toJson());
                if (got.size() == 3) {
                  ctx.verify(() -> checkSamples(got));
                  ctx.completeNow();
                }
              });
        });
    uptimeAtDeployMs = hostUptimeMs();
    consumer
        .completion()
        .compose(
            v ->
                vertx.deployVerticle(
                    new CollectorVerticle(registry),
                    config(new JsonObject().put("labels", new JsonObject().put("rack", "r1")))))
        .onFailure(ctx::failNow);
  }

  private long uptimeAtDeployMs;

  /** /proc/uptime in ms, read independently of the collector (10 ms resolution, so floor it). */
  private static long hostUptimeMs() {
    try {
      String first = Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[0];
      return (long) (Double.parseDouble(first) * 1000) - 10;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void checkSamples(List<RawSample> got) {
    // seq starts at the host uptime (ms) when the collector starts, so a restart without a reboot
    // never reuses the
    // seqs of the previous run, then counts up by one.
    long first = got.get(0).snapshot().agent().seq();
    assertThat(first).isBetween(uptimeAtDeployMs, got.get(0).snapshot().agent().uptimeMs());
    assertThat(got)
        .extracting(s -> s.snapshot().agent().seq())
        .containsExactly(first, first + 1, first + 2);
    assertThat(got).extracting(RawSample::server).containsOnly("local");
    assertThat(got).extracting(RawSample::sourceIp).containsOnlyNulls();
    String bootId = got.get(0).snapshot().agent().bootId();
    assertThat(bootId).isNotBlank();
    long previousUptime = -1;
    for (RawSample s : got) {
      RawSnapshot snap = s.snapshot();
      assertThat(snap.agent().bootId()).isEqualTo(bootId);
      assertThat(snap.agent().uptimeMs()).isGreaterThan(previousUptime);
      previousUptime = snap.agent().uptimeMs();
      assertThat(snap.agent().version()).isEqualTo("0.1.0");
      assertThat(snap.agent().labels()).containsEntry("rack", "r1");
      assertThat(snap.agent().hostname()).isNotBlank();
      assertThat(snap.cpu().ticks().length).isPositive();
      assertThat(snap.cpu().ticks()).hasDimensions(snap.cpu().ticks().length, 8);
      assertThat(snap.memory().totalBytes()).isPositive();
      assertThat(snap.networks()).extracting(n -> n.name()).doesNotContain("lo");
    }
    // The reply took 700 ms, longer than the 500 ms interval, so consecutive samples are at least
    // that far apart.
    assertThat(got.get(1).snapshot().agent().uptimeMs() - got.get(0).snapshot().agent().uptimeMs())
        .isGreaterThanOrEqualTo(700);
    assertThat(
            registry
                .get("trainwatch.collector.source.duration")
                .tag("source", "cpu")
                .tag("outcome", "success")
                .timer()
                .count())
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void collectionGoesOnWithoutAConsumerAndThroughFailedReplies(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger requests = new AtomicInteger();
    List<Long> seqs = new ArrayList<>();
    vertx
        .deployVerticle(new CollectorVerticle(registry), config(new JsonObject()))
        .onFailure(ctx::failNow)
        .onSuccess(
            id -> {
              // Register the consumer only once the collector has already failed to deliver to
              // nobody.
              vertx.setPeriodic(
                  50,
                  t -> {
                    if (counter("failed") < 1) {
                      return;
                    }
                    vertx.cancelTimer(t);
                    vertx
                        .eventBus()
                        .<JsonObject>consumer(
                            Addresses.RAW_SAMPLE,
                            msg -> {
                              seqs.add(RawSample.fromJson(msg.body()).snapshot().agent().seq());
                              if (requests.incrementAndGet() <= 2) {
                                msg.fail(FailureCode.UNAVAILABLE.busCode(), "storage is down");
                                return;
                              }
                              msg.reply(new SampleAck(false).toJson());
                              ctx.verify(
                                  () -> {
                                    assertThat(seqs.get(0))
                                        .as("the first sample went to nobody")
                                        .isPositive();
                                    for (int i = 1; i < seqs.size(); i++) {
                                      assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
                                    }
                                    assertThat(counter("failed")).isGreaterThanOrEqualTo(3);
                                  });
                              vertx.setTimer(
                                  100,
                                  x -> {
                                    ctx.verify(() -> assertThat(counter("stored")).isEqualTo(1));
                                    ctx.completeNow();
                                  });
                            });
                  });
            });
  }

  @Test
  void aConsumerThatNeverAnswersOnlySlowsCollectionDown(Vertx vertx, VertxTestContext ctx) {
    List<Long> arrivals = new ArrayList<>();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.RAW_SAMPLE,
            msg -> {
              arrivals.add(System.nanoTime());
              if (arrivals.size() == 2) {
                ctx.verify(
                    () -> {
                      // The first request timed out after 800 ms; only then was the next sample
                      // taken.
                      assertThat((arrivals.get(1) - arrivals.get(0)) / 1_000_000)
                          .isGreaterThanOrEqualTo(800);
                      assertThat(counter("failed")).isEqualTo(1);
                    });
                ctx.completeNow();
              }
            })
        .completion()
        .compose(
            v ->
                vertx.deployVerticle(
                    new CollectorVerticle(registry),
                    config(new JsonObject().put("reply_timeout_ms", 800))))
        .onFailure(ctx::failNow);
  }

  private double counter(String outcome) {
    return registry.get("trainwatch.collector.samples").tag("outcome", outcome).counter().count();
  }

  @Test
  void publishesItsStatusOnTheBusAndSaysWhenItStops(Vertx vertx, VertxTestContext ctx) {
    Promise<JsonObject> first = Promise.promise();
    Promise<JsonObject> stopped = Promise.promise();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.COLLECTOR_STATUS,
            m -> {
              (m.body().containsKey("stopped") ? stopped : first).tryComplete(m.body());
            })
        .completion()
        .compose(
            v -> vertx.deployVerticle(new CollectorVerticle(registry), config(new JsonObject())))
        .compose(
            id ->
                first
                    .future()
                    .map(
                        s -> {
                          ctx.verify(
                              () -> {
                                assertThat(s.getString("server")).isEqualTo("local");
                                assertThat(s.getString("gpu_provider"))
                                    .isIn("nvml", "nvidia-smi", "none");
                                assertThat(s.getString("gpu_reason")).isNotBlank();
                                assertThat(s.getString("system_reader")).isEqualTo("procfs");
                                assertThat(s.getJsonObject("sources").getString("cpu"))
                                    .isIn(null, "ok");
                              });
                          return id;
                        }))
        .compose(id -> vertx.undeploy(id))
        .compose(v -> stopped.future())
        .onSuccess(
            last ->
                ctx.verify(
                    () -> {
                      assertThat(last.getBoolean("stopped")).isTrue();
                      assertThat(last.getString("server")).isEqualTo("local");
                    }))
        .compose(
            v -> {
              // Nothing may be sent after undeploy: listen for two intervals.
              AtomicInteger late = new AtomicInteger();
              MessageConsumer<JsonObject> c =
                  vertx.eventBus().consumer(Addresses.RAW_SAMPLE, m -> late.incrementAndGet());
              return c.completion()
                  .onSuccess(
                      x ->
                          vertx.setTimer(
                              1200,
                              t -> {
                                ctx.verify(() -> assertThat(late.get()).isZero());
                                ctx.completeNow();
                              }));
            })
        .onFailure(ctx::failNow);
  }

  @Test
  void disabledSourcesAreLeftOut(Vertx vertx, VertxTestContext ctx) {
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.RAW_SAMPLE,
            msg -> {
              msg.reply(new SampleAck(false).toJson());
              RawSnapshot s = RawSample.fromJson(msg.body()).snapshot();
              ctx.verify(
                  () -> {
                    assertThat(s.cpu()).isNotNull();
                    assertThat(s.memory()).isNull();
                    assertThat(s.pressure()).isNull();
                    assertThat(s.disks()).isEmpty();
                    assertThat(s.networks()).isEmpty();
                    assertThat(s.gpus()).isEmpty();
                  });
              ctx.completeNow();
            })
        .completion()
        .compose(
            v ->
                vertx.deployVerticle(
                    new CollectorVerticle(registry),
                    config(
                        new JsonObject()
                            .put(
                                "enabled_sources",
                                new JsonObject()
                                    .put("memory", false)
                                    .put("pressure", false)
                                    .put("disks", false)
                                    .put("networks", false)
                                    .put("gpus", false)))))
        .onFailure(ctx::failNow);
  }

  @Test
  void aBadConfigFailsTheDeploymentNamingTheKey(Vertx vertx, VertxTestContext ctx) {
    vertx
        .deployVerticle(
            new CollectorVerticle(registry),
            new DeploymentOptions().setConfig(new JsonObject().put("disks", "sda")))
        .onComplete(
            ctx.failing(
                e ->
                    ctx.verify(
                        () -> {
                          assertThat(e).hasMessageContaining("collector.disks");
                          ctx.completeNow();
                        })));
  }
}
