package dev.trainwatch.collector.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.collector.gpu.nvml.FakeNvml;
import dev.trainwatch.collector.gpu.smi.FakeSmi;
import dev.trainwatch.collector.gpu.smi.SmiTestAccess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Provider selection: NVML, then nvidia-smi, then none, each refusal explained. */
class GpuSourcesTest {
  private static final String H100 = "linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt";

  @Test
  void disabledIsNone() {
    try (GpuSource s = GpuSources.open(new JsonObject().put("enabled", false))) {
      assertThat(s.provider()).isEqualTo("none");
      assertThat(s.reason()).isEqualTo("GPU collection disabled (gpu.enabled = false)");
      assertThat(s.sampleGpus()).isEmpty();
      assertThat(s.sampleProcesses()).isEmpty();
    }
  }

  @Test
  void nvmlWinsWhenItWorks() {
    Path lib =
        FakeNvml.scenario(
            "select-nvml", FakeNvml.Variant.FULL, FakeNvml.resource("two-gpus.scenario"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (GpuSource s =
        GpuSources.open(
            new JsonObject()
                .put("nvml_library", lib.toString())
                .put("nvidia_smi", "/nonexistent/nvidia-smi"),
            registry)) {
      assertThat(s.provider()).isEqualTo("nvml");
      assertThat(s.sampleGpus()).hasSize(2);
      s.sampleProcesses();
    }
    assertThat(
            registry
                .get("trainwatch.gpu.sample")
                .tags("provider", "nvml", "op", "gpus")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("trainwatch.gpu.sample")
                .tags("provider", "nvml", "op", "processes")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void nvidiaSmiWhenNvmlCannotLoad() throws Exception {
    String help = SmiTestAccess.help(H100);
    Path exe = FakeSmi.create(help, SmiTestAccess.h100LoadCsv(help), "");
    try (GpuSource s =
        GpuSources.open(
            new JsonObject()
                .put("nvml_library", "/nonexistent/libnvidia-ml.so.1")
                .put("nvidia_smi", exe.toString()))) {
      assertThat(s.provider()).isEqualTo("nvidia-smi");
      assertThat(s.reason())
          .isEqualTo(
              "NVML: /nonexistent/libnvidia-ml.so.1 not found; nvidia-smi 590.48.01 at "
                  + exe
                  + ", 1 GPU");
      assertThat(s.sampleGpus())
          .singleElement()
          .satisfies(g -> assertThat(g.powerW()).isEqualTo(631.95));
    }
  }

  @Test
  void noneWhenNeitherWorksAndBothSayWhy() {
    Path lib = FakeNvml.scenario("select-fail", FakeNvml.Variant.FULL, "count 1\ninit_return 9\n");
    try (GpuSource s =
        GpuSources.open(
            new JsonObject()
                .put("nvml_library", lib.toString())
                .put("nvidia_smi", "nvidia-smi-not-installed-here"))) {
      assertThat(s.provider()).isEqualTo("none");
      assertThat(s.reason())
          .isEqualTo(
              "NVML: nvmlInit_v2 failed: Driver Not Loaded (ERROR_DRIVER_NOT_LOADED); nvidia-smi: not found on PATH");
    }
  }

  @Test
  void theDefaultLibraryNameIsSearchedByTheLoader() {
    try (GpuSource s =
        GpuSources.open(new JsonObject().put("nvidia_smi", "nvidia-smi-not-installed-here"))) {
      if (s.provider().equals("none")) {
        // a machine without an NVIDIA driver, like CI
        assertThat(s.reason())
            .startsWith("NVML: libnvidia-ml.so.1 not loadable (")
            .endsWith("; nvidia-smi: not found on PATH");
      } else {
        assertThat(s.provider()).isEqualTo("nvml");
      }
    }
  }

  @Test
  void configDefaultsAndBadValues() {
    assertThat(GpuConfig.from(null)).isEqualTo(GpuConfig.defaults());
    assertThat(GpuConfig.from(new JsonObject()))
        .isEqualTo(new GpuConfig(true, null, "nvidia-smi", 5));
    assertThat(
            GpuConfig.from(
                new JsonObject()
                    .put("enabled", "yes")
                    .put("pcie_every_n", -1)
                    .put("nvml_library", " ")
                    .put("nvidia_smi", 3)))
        .isEqualTo(new GpuConfig(true, null, "nvidia-smi", 5));
    assertThat(GpuConfig.from(new JsonObject().put("pcie_every_n", 2.5)).pcieEveryN()).isEqualTo(5);
    assertThat(
            GpuConfig.from(new JsonObject().put("pcie_every_n", 0).put("nvml_library", "/x/y.so")))
        .isEqualTo(new GpuConfig(true, "/x/y.so", "nvidia-smi", 0));
  }
}
