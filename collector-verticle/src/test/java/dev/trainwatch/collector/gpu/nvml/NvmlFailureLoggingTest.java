package dev.trainwatch.collector.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A failing call is logged when its outcome changes, not on every tick, and its field comes back on
 * recovery.
 */
class NvmlFailureLoggingTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger(DeviceReader.class);
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Level levelBefore;

  @BeforeEach
  void attach() {
    levelBefore = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    events.start();
    logger.addAppender(events);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(events);
    logger.setLevel(levelBefore);
  }

  private long count(Level level, String... parts) {
    return events.list.stream()
        .filter(e -> e.getLevel() == level)
        .filter(
            e -> {
              for (String p : parts) {
                if (!e.getFormattedMessage().contains(p)) {
                  return false;
                }
              }
              return true;
            })
        .count();
  }

  @Test
  void logsOncePerChangeOfState() throws Exception {
    Path lib =
        FakeNvml.scenario("logging", FakeNvml.Variant.FULL, FakeNvml.resource("two-gpus.scenario"));
    FakeNvml.Control ctl = FakeNvml.control(lib);
    try (NvmlGpuSource source = NvmlGpuSourceTest.open(lib, 0)) {
      for (int i = 0; i < 5; i++) {
        assertThat(source.sampleGpus().get(0).powerW()).isEqualTo(512.345);
      }
      // no fan on either board: expected, DEBUG, once per GPU however many ticks
      assertThat(count(Level.DEBUG, "GPU 0", "nvmlDeviceGetFanSpeed", "Not Supported"))
          .isEqualTo(1);
      assertThat(count(Level.DEBUG, "GPU 1", "nvmlDeviceGetFanSpeed", "Not Supported"))
          .isEqualTo(1);

      ctl.fake_nvml_set_fail("nvmlDeviceGetPowerUsage", 15, 0); // GPU_IS_LOST
      for (int i = 0; i < 5; i++) {
        assertThat(source.sampleGpus().get(0).powerW()).isNull();
      }
      assertThat(source.sampleGpus().get(1).powerW()).isEqualTo(69.85);
      assertThat(count(Level.WARN, "GPU 0", "nvmlDeviceGetPowerUsage", "GPU is lost")).isEqualTo(1);

      ctl.fake_nvml_set_fail("nvmlDeviceGetPowerUsage", 999, 0); // a different failure is a change
      source.sampleGpus();
      source.sampleGpus();
      assertThat(count(Level.WARN, "GPU 0", "nvmlDeviceGetPowerUsage", "Unknown Error"))
          .isEqualTo(1);

      ctl.fake_nvml_set_fail("nvmlDeviceGetPowerUsage", 0, 0);
      for (int i = 0; i < 3; i++) {
        assertThat(source.sampleGpus().get(0).powerW()).isEqualTo(512.345);
      }
      assertThat(count(Level.INFO, "GPU 0", "nvmlDeviceGetPowerUsage", "working again"))
          .isEqualTo(1);
    }
  }
}
