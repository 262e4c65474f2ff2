package dev.trainwatch.collector.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.raw.GpuRaw;
import dev.trainwatch.bus.raw.XidEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** XID events from the driver's event set, through the watcher thread into the next sample. */
class NvmlXidTest {

  @Test
  void eventsReachTheirGpusSampleOnce() throws Exception {
    Path lib =
        FakeNvml.scenario(
            "xid", FakeNvml.Variant.FULL, FakeNvml.resource("two-gpus.scenario") + "xid 1 79\n");
    FakeNvml.Control ctl = FakeNvml.control(lib);
    Instant before = Instant.now();
    try (NvmlGpuSource source = NvmlGpuSourceTest.open(lib, 0)) {
      XidWatcher watcher = source.xidWatcher();
      assertThat(watcher).isNotNull();
      assertThat(watcher.awaitReceived(1, 10_000)).isTrue();

      List<GpuRaw> gpus = source.sampleGpus();
      assertThat(gpus.get(0).xidEvents()).isEmpty();
      assertThat(gpus.get(1).xidEvents()).extracting(XidEvent::xid).containsExactly(79L);
      assertThat(gpus.get(1).xidEvents().get(0).ts()).isBetween(before, Instant.now());

      // drained: the next sample has none
      assertThat(source.sampleGpus().get(1).xidEvents()).isEmpty();

      // one arriving while running
      assertThat(ctl.fake_nvml_inject_xid(0, 48)).isEqualTo(1);
      assertThat(watcher.awaitReceived(2, 10_000)).isTrue();
      gpus = source.sampleGpus();
      assertThat(gpus.get(0).xidEvents()).extracting(XidEvent::xid).containsExactly(48L);
      assertThat(gpus.get(1).xidEvents()).isEmpty();
    }
    assertThat(ctl.fake_nvml_calls("nvmlEventSetWait_v2")).isPositive();
    assertThat(ctl.fake_nvml_calls("nvmlEventSetWait")).isZero();
  }

  @Test
  void legacyWaitCallWorksToo() throws Exception {
    Path lib =
        FakeNvml.scenario(
            "xid-legacy",
            FakeNvml.Variant.LEGACY,
            FakeNvml.resource("two-gpus.scenario") + "xid 0 31\n");
    try (NvmlGpuSource source = NvmlGpuSourceTest.open(lib, 0)) {
      assertThat(source.xidWatcher().awaitReceived(1, 10_000)).isTrue();
      assertThat(source.sampleGpus().get(0).xidEvents())
          .extracting(XidEvent::xid)
          .containsExactly(31L);
    }
  }

  @Test
  void withoutEventSupportXidEventsAreAbsentNotEmpty() throws Exception {
    Path lib =
        FakeNvml.scenario(
            "xid-none",
            FakeNvml.Variant.FULL,
            FakeNvml.resource("two-gpus.scenario") + "fail nvmlDeviceRegisterEvents 3\n");
    try (NvmlGpuSource source = NvmlGpuSourceTest.open(lib, 0)) {
      assertThat(source.xidWatcher()).isNull();
      assertThat(source.reason())
          .contains("XID events unavailable (no GPU accepted XID event registration)");
      assertThat(source.sampleGpus()).allSatisfy(g -> assertThat(g.xidEvents()).isNull());
    }
  }

  @Test
  void onlyTheRegisteredGpuClaimsToWatch() throws Exception {
    Path lib =
        FakeNvml.scenario(
            "xid-one",
            FakeNvml.Variant.FULL,
            FakeNvml.resource("two-gpus.scenario") + "fail nvmlDeviceRegisterEvents 3 1\n");
    try (NvmlGpuSource source = NvmlGpuSourceTest.open(lib, 0)) {
      List<GpuRaw> gpus = source.sampleGpus();
      assertThat(gpus.get(0).xidEvents()).isEmpty();
      assertThat(gpus.get(1).xidEvents()).isNull();
    }
  }
}
