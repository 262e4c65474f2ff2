package dev.trainwatch.collector.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainwatch.bus.raw.GpuRaw;
import dev.trainwatch.collector.gpu.GpuConfig;
import dev.trainwatch.collector.gpu.GpuMetrics;
import dev.trainwatch.collector.gpu.GpuUnavailableException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real JNA binding against the fake libnvidia-ml.so.1: exact values, unit conversions, absent
 * fields.
 */
class NvmlGpuSourceTest {

  static NvmlGpuSource open(Path lib, int pcieEveryN) throws GpuUnavailableException {
    return NvmlGpuSource.open(
        new GpuConfig(true, lib.toString(), "nvidia-smi", pcieEveryN), GpuMetrics.none());
  }

  @Test
  void readsEveryFieldWithUnitsConverted() throws Exception {
    Path lib =
        FakeNvml.scenario("fields", FakeNvml.Variant.FULL, FakeNvml.resource("two-gpus.scenario"));
    try (NvmlGpuSource source = open(lib, 5)) {
      assertThat(source.provider()).isEqualTo("nvml");
      assertThat(source.reason())
          .isEqualTo("NVML 12.550.54.15, driver 550.54.15, 2 GPUs via " + lib);

      List<GpuRaw> gpus = source.sampleGpus();
      assertThat(gpus).hasSize(2);

      GpuRaw g0 = gpus.get(0);
      assertThat(g0.index()).isZero();
      assertThat(g0.uuid()).isEqualTo("GPU-11111111-2222-3333-4444-555555555555");
      assertThat(g0.name()).isEqualTo("NVIDIA H100 80GB HBM3");
      assertThat(g0.pciBusId()).isEqualTo("00000000:18:00.0");
      assertThat(g0.utilizationPercent()).isEqualTo(97.0);
      assertThat(g0.memoryUtilizationPercent()).isEqualTo(41.0);
      // nvmlMemory_v2_t "used" excludes the 501481472 reserved bytes (v1 would include them)
      assertThat(g0.memoryUsedBytes()).isEqualTo(20_780_875_776L);
      assertThat(g0.memoryTotalBytes()).isEqualTo(85_520_809_984L);
      assertThat(g0.temperatureC()).isEqualTo(64.0);
      assertThat(g0.powerW()).isEqualTo(512.345);
      assertThat(g0.powerLimitW()).isEqualTo(700.0);
      assertThat(g0.fanPercent()).isNull();
      assertThat(g0.smClockMhz()).isEqualTo(1980.0);
      assertThat(g0.memClockMhz()).isEqualTo(2619.0);
      assertThat(g0.energyMjTotal()).isEqualTo(123_456_789_012L);
      assertThat(g0.pcieRxBytesPerS()).isEqualTo(1500 * 1024.0);
      assertThat(g0.pcieTxBytesPerS()).isEqualTo(250 * 1024.0);
      assertThat(g0.encoderPercent()).isEqualTo(12.0);
      assertThat(g0.decoderPercent()).isEqualTo(3.0);
      assertThat(g0.clockEventReasons()).containsExactly("sw_power_cap");
      assertThat(g0.eccUncorrectedTotal()).isEqualTo(2L);
      assertThat(g0.migEnabled()).isFalse();
      assertThat(g0.xidEvents()).isEmpty();

      GpuRaw g1 = gpus.get(1);
      assertThat(g1.index()).isEqualTo(1);
      assertThat(g1.uuid()).isEqualTo("GPU-66666666-7777-8888-9999-000000000000");
      assertThat(g1.pciBusId()).isEqualTo("00000000:2A:00.0");
      assertThat(g1.utilizationPercent()).isNull();
      assertThat(g1.memoryUtilizationPercent()).isNull();
      assertThat(g1.memoryUsedBytes()).isZero();
      assertThat(g1.temperatureC()).isEqualTo(41.0);
      assertThat(g1.powerW()).isEqualTo(69.85);
      assertThat(g1.smClockMhz()).isEqualTo(345.0);
      assertThat(g1.energyMjTotal()).isEqualTo(5000L);
      assertThat(g1.pcieRxBytesPerS()).isZero();
      assertThat(g1.encoderPercent()).isNull();
      assertThat(g1.decoderPercent()).isNull();
      assertThat(g1.clockEventReasons())
          .containsExactly("gpu_idle", "sw_thermal_slowdown", "hw_thermal_slowdown");
      assertThat(g1.eccUncorrectedTotal()).isNull();
      assertThat(g1.migEnabled()).isTrue();

      // on the wire, absent fields are missing keys, never 0
      assertThat(g1.toJson().containsKey("utilization_percent")).isFalse();
      assertThat(g1.toJson().containsKey("fan_percent")).isFalse();
      assertThat(GpuRaw.fromJson(g0.toJson(), "gpus[0]")).isEqualTo(g0);
    }
  }

  @Test
  void olderDriverWithoutOptionalSymbolsFallsBackOrLeavesFieldsAbsent() throws Exception {
    Path lib =
        FakeNvml.scenario(
            "legacy", FakeNvml.Variant.LEGACY, FakeNvml.resource("two-gpus.scenario"));
    try (NvmlGpuSource source = open(lib, 5)) {
      GpuRaw g0 = source.sampleGpus().get(0);
      // no nvmlDeviceGetMemoryInfo_v2: the v1 call, whose "used" includes reserved memory
      assertThat(g0.memoryUsedBytes()).isEqualTo(20_780_875_776L + 501_481_472L);
      assertThat(g0.memoryTotalBytes()).isEqualTo(85_520_809_984L);
      // no nvmlDeviceGetCurrentClocksEventReasons: the old ...ThrottleReasons name
      assertThat(g0.clockEventReasons()).containsExactly("sw_power_cap");
      // no nvmlDeviceGetTotalEnergyConsumption / nvmlDeviceGetMigMode: absent, not 0 or false
      assertThat(g0.energyMjTotal()).isNull();
      assertThat(g0.migEnabled()).isNull();
      assertThat(g0.powerW()).isEqualTo(512.345);
    }
  }

  @Test
  void memoryNotSupportedIsAbsentAndV1IsNotTriedInstead() throws Exception {
    FakeNvml.Control ctl;
    Path lib =
        FakeNvml.scenario(
            "gb10",
            FakeNvml.Variant.FULL,
            FakeNvml.resource("two-gpus.scenario") + "fail nvmlDeviceGetMemoryInfo_v2 3\n");
    try (NvmlGpuSource source = open(lib, 5)) {
      ctl = FakeNvml.control(lib);
      GpuRaw g0 = source.sampleGpus().get(0);
      assertThat(g0.memoryUsedBytes()).isNull();
      assertThat(g0.memoryTotalBytes()).isNull();
      assertThat(ctl.fake_nvml_calls("nvmlDeviceGetMemoryInfo")).isZero();
      assertThat(g0.temperatureC()).isEqualTo(64.0);
    }
  }

  @Test
  void everyCallFailingGivesAllFieldsAbsentAndNoException() throws Exception {
    StringBuilder s = new StringBuilder(FakeNvml.resource("two-gpus.scenario"));
    for (NvmlCall c : NvmlCall.values()) {
      s.append("fail ").append(c.function.replaceAll("\\(.*", "")).append(" 999\n");
    }
    s.append(
        "fail nvmlDeviceGetComputeRunningProcesses_v3 999\nfail nvmlDeviceGetGraphicsRunningProcesses_v3 999\n");
    Path lib = FakeNvml.scenario("all-fail", FakeNvml.Variant.FULL, s.toString());
    try (NvmlGpuSource source = open(lib, 1)) {
      GpuRaw g = source.sampleGpus().get(0);
      assertThat(g.uuid()).isNotNull();
      assertThat(
              Arrays.asList(
                  g.utilizationPercent(),
                  g.temperatureC(),
                  g.powerW(),
                  g.powerLimitW(),
                  g.smClockMhz(),
                  g.memClockMhz(),
                  g.pcieRxBytesPerS(),
                  g.pcieTxBytesPerS(),
                  g.encoderPercent(),
                  g.decoderPercent()))
          .containsOnlyNulls();
      assertThat(g.memoryUsedBytes()).isNull();
      assertThat(g.energyMjTotal()).isNull();
      assertThat(g.clockEventReasons()).isNull();
      assertThat(g.eccUncorrectedTotal()).isNull();
      assertThat(g.migEnabled()).isNull();
      assertThat(source.sampleProcesses()).isEmpty();
    }
  }

  @Test
  void initialisesOnceAndShutsDownOnlyOnClose() throws Exception {
    Path lib =
        FakeNvml.scenario(
            "lifecycle", FakeNvml.Variant.FULL, FakeNvml.resource("two-gpus.scenario"));
    FakeNvml.Control ctl = FakeNvml.control(lib);
    NvmlGpuSource source = open(lib, 5);
    for (int i = 0; i < 7; i++) {
      assertThat(source.sampleGpus()).hasSize(2);
    }
    source.sampleProcesses();
    assertThat(ctl.fake_nvml_calls("nvmlInit_v2")).isEqualTo(1);
    assertThat(ctl.fake_nvml_calls("nvmlShutdown")).isZero();
    // versioned entry points, never the legacy ones
    assertThat(ctl.fake_nvml_calls("nvmlInit")).isZero();
    assertThat(ctl.fake_nvml_calls("nvmlDeviceGetCount")).isZero();
    assertThat(ctl.fake_nvml_calls("nvmlDeviceGetHandleByIndex")).isZero();
    assertThat(ctl.fake_nvml_calls("nvmlDeviceGetHandleByIndex_v2")).isEqualTo(2);

    source.close();
    source.close();
    assertThat(ctl.fake_nvml_calls("nvmlShutdown")).isEqualTo(1);
    assertThat(ctl.fake_nvml_calls("nvmlEventSetFree")).isEqualTo(1);
    assertThat(source.sampleGpus()).isEmpty();
    assertThat(source.sampleProcesses()).isEmpty();
  }

  @Test
  void pcieIsReadAtOpenThenEveryNthSampleOffTheSamplingThread() throws Exception {
    Path lib =
        FakeNvml.scenario("pcie", FakeNvml.Variant.FULL, FakeNvml.resource("two-gpus.scenario"));
    FakeNvml.Control ctl = FakeNvml.control(lib);
    try (NvmlGpuSource source = open(lib, 5)) {
      PcieSampler pcie = source.pcieSampler();
      // the synchronous first refresh: RX and TX for both GPUs
      assertThat(pcie.refreshes()).isEqualTo(1);
      assertThat(ctl.fake_nvml_calls("nvmlDeviceGetPcieThroughput")).isEqualTo(4);
      for (int i = 0; i < 4; i++) {
        source.sampleGpus();
      }
      assertThat(pcie.awaitRefreshes(2, 200)).isFalse();
      assertThat(ctl.fake_nvml_calls("nvmlDeviceGetPcieThroughput")).isEqualTo(4);
      source.sampleGpus(); // the 5th
      assertThat(pcie.awaitRefreshes(2, 10_000)).isTrue();
      assertThat(ctl.fake_nvml_calls("nvmlDeviceGetPcieThroughput")).isEqualTo(8);
    }
  }

  @Test
  void slowPcieCallsStayOffTheSamplingPath() throws Exception {
    // 8 GPUs whose PCIe calls block 20 ms each, like the real 20 ms sampling window
    Path lib =
        FakeNvml.scenario(
            "slow-pcie", FakeNvml.Variant.FULL, FakeNvml.resource("eight-gpus.scenario"));
    try (NvmlGpuSource source = open(lib, 5)) {
      long worst = 0;
      for (int i = 0; i < 10; i++) {
        long t0 = System.nanoTime();
        List<GpuRaw> gpus = source.sampleGpus();
        worst = Math.max(worst, System.nanoTime() - t0);
        assertThat(gpus)
            .hasSize(8)
            .allSatisfy(g -> assertThat(g.pcieRxBytesPerS()).isEqualTo(1500 * 1024.0));
      }
      // inline, the 5th and 10th samples would each take 8 x 2 x 20 ms = 320 ms
      assertThat(worst).isLessThan(TimeUnit.MILLISECONDS.toNanos(160));
      assertThat(source.pcieSampler().awaitRefreshes(2, 10_000)).isTrue();
    }
  }

  @Test
  void pcieOffMeansAbsentAndNoCalls() throws Exception {
    Path lib =
        FakeNvml.scenario(
            "pcie-off", FakeNvml.Variant.FULL, FakeNvml.resource("two-gpus.scenario"));
    FakeNvml.Control ctl = FakeNvml.control(lib);
    try (NvmlGpuSource source = open(lib, 0)) {
      GpuRaw g0 = source.sampleGpus().get(0);
      assertThat(g0.pcieRxBytesPerS()).isNull();
      assertThat(g0.pcieTxBytesPerS()).isNull();
      assertThat(ctl.fake_nvml_calls("nvmlDeviceGetPcieThroughput")).isZero();
      assertThat(source.reason()).endsWith("; PCIe throughput off");
    }
  }

  @Test
  void initFailureSaysWhy() {
    Path lib = FakeNvml.scenario("init-fail", FakeNvml.Variant.FULL, "count 1\ninit_return 18\n");
    assertThatThrownBy(() -> open(lib, 5))
        .isInstanceOf(GpuUnavailableException.class)
        .hasMessage(
            "NVML: nvmlInit_v2 failed: RM has detected an NVML/RM version mismatch. "
                + "(ERROR_LIB_RM_VERSION_MISMATCH)");
  }

  @Test
  void missingRequiredSymbolSaysWhich() {
    Path lib = FakeNvml.scenario("no-init", FakeNvml.Variant.NO_INIT_V2, "count 1\n");
    assertThatThrownBy(() -> open(lib, 5))
        .isInstanceOf(GpuUnavailableException.class)
        .hasMessage("NVML: " + lib + " lacks nvmlInit_v2 (driver too old or not NVML)");
  }

  @Test
  void noGpusIsUnavailableAndReleasesNvml() {
    Path lib = FakeNvml.scenario("no-gpus", FakeNvml.Variant.FULL, "count 0\n");
    FakeNvml.Control ctl = FakeNvml.control(lib);
    assertThatThrownBy(() -> open(lib, 5))
        .isInstanceOf(GpuUnavailableException.class)
        .hasMessage("NVML: no usable GPU (driver 550.54.15)");
    assertThat(ctl.fake_nvml_calls("nvmlShutdown")).isEqualTo(1);
  }

  @Test
  void aGpuWhoseHandleIsDeniedIsSkipped() throws Exception {
    Path lib =
        FakeNvml.scenario(
            "denied",
            FakeNvml.Variant.FULL,
            FakeNvml.resource("two-gpus.scenario") + "fail nvmlDeviceGetHandleByIndex_v2 4 0\n");
    try (NvmlGpuSource source = open(lib, 5)) {
      assertThat(source.sampleGpus()).extracting(GpuRaw::index).containsExactly(1);
    }
  }

  @Test
  void missingLibraryFileSaysSo() {
    assertThatThrownBy(
            () ->
                NvmlGpuSource.open(
                    new GpuConfig(true, "/nonexistent/libnvidia-ml.so.1", "nvidia-smi", 5),
                    GpuMetrics.none()))
        .hasMessage("NVML: /nonexistent/libnvidia-ml.so.1 not found");
  }
}
