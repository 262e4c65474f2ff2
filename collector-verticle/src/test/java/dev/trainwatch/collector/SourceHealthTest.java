package dev.trainwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceHealthTest {

  @Test
  void timesEveryReadingCountsFailuresAndReportsOnlyChanges() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<String> changes = new ArrayList<>();
    SourceHealth h =
        new SourceHealth("disks", registry, (source, error) -> changes.add(source + "=" + error));

    assertThat(h.state()).isNull();
    assertThat(h.<String>measure(() -> "a")).isEqualTo("a");
    assertThat(h.<String>measure(() -> "b")).isEqualTo("b");
    assertThat(
            h.<String>measure(
                () -> {
                  throw new UncheckedIOException(new IOException("diskstats gone"));
                }))
        .isNull();
    assertThat(
            h.<String>measure(
                () -> {
                  throw new UncheckedIOException(new IOException("diskstats gone"));
                }))
        .isNull();
    assertThat(h.state()).isEqualTo("java.io.IOException: diskstats gone");
    assertThat(
            h.<String>measure(
                () -> {
                  throw new IllegalStateException("other");
                }))
        .isNull();
    assertThat(h.<String>measure(() -> "c")).isEqualTo("c");
    assertThat(h.state()).isEmpty();

    assertThat(changes)
        .containsExactly(
            "disks=null", "disks=java.io.IOException: diskstats gone", "disks=other", "disks=null");
    assertThat(
            registry
                .get("trainwatch.collector.source.duration")
                .tag("source", "disks")
                .tag("outcome", "success")
                .timer()
                .count())
        .isEqualTo(3);
    assertThat(
            registry
                .get("trainwatch.collector.source.duration")
                .tag("source", "disks")
                .tag("outcome", "error")
                .timer()
                .count())
        .isEqualTo(3);
    assertThat(
            registry
                .get("trainwatch.collector.source.errors")
                .tag("source", "disks")
                .counter()
                .count())
        .isEqualTo(3);
  }

  @Test
  void linkageErrorsFromNativeCodeAreCaughtToo() {
    SourceHealth h = new SourceHealth("gpus", new SimpleMeterRegistry(), (s, e) -> {});
    assertThat(
            h.<String>measure(
                () -> {
                  throw new UnsatisfiedLinkError("libnvidia-ml.so.1");
                }))
        .isNull();
    assertThat(h.state()).isEqualTo("libnvidia-ml.so.1");
  }
}
