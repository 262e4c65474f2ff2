package dev.trainwatch.collector.gpu.smi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SmiQueryTest {
  static final List<String> FILES = Captures.FILES;

  @ParameterizedTest
  @FieldSource("FILES")
  void picksTheCurrentNamesFromEveryCapturedDriver(String file) {
    Set<String> valid = SmiQuery.validNames(Captures.help(file));
    assertThat(valid)
        .contains(
            "clocks_event_reasons.active",
            "clocks_throttle_reasons.active",
            "clocks.sm",
            "clocks.current.sm",
            "enforced.power.limit",
            "gpu_bus_id");
    assertThat(SmiQuery.choose(valid).toString())
        .isEqualTo(
            "index,uuid,name,pci.bus_id,driver_version,"
                + "utilization.gpu,utilization.memory,memory.used,memory.total,temperature.gpu,power.draw,"
                + "enforced.power.limit,fan.speed,clocks.sm,clocks.mem,utilization.encoder,utilization.decoder,"
                + "clocks_event_reasons.active,ecc.errors.uncorrected.volatile.total,mig.mode.current");
  }

  @Test
  void anOlderDriverGetsTheOldNamesAndLosesWhatItLacks() {
    String help =
        """
        List of valid properties to query for the switch "--query-gpu":

        "index"
        Zero based index of the GPU.

        "uuid"
        "name"
        "pci.bus_id" or "gpu_bus_id"
        "utilization.gpu"
        "memory.used"
        "memory.total"
        "power.draw"
        "power.limit"
        "clocks.current.sm" or "clocks.sm"
        "clocks_throttle_reasons.active"
        """;
    SmiQuery q = SmiQuery.choose(SmiQuery.validNames(help));
    assertThat(q.toString())
        .isEqualTo(
            "index,uuid,name,pci.bus_id,utilization.gpu,memory.used,memory.total,power.draw,power.limit,clocks.sm,"
                + "clocks_throttle_reasons.active");
    assertThat(q.has(SmiField.MIG_MODE)).isFalse();
  }

  @Test
  void withoutHelpEveryFieldIsTriedAndRejectedNamesFallBack() {
    SmiQuery q = SmiQuery.choose(Set.of());
    assertThat(q.names()).contains("clocks_event_reasons.active", "enforced.power.limit");
    String error = "Field \"clocks_event_reasons.active\" is not a valid field to query.\n";
    assertThat(SmiQuery.rejectedName(error)).isEqualTo("clocks_event_reasons.active");
    SmiQuery older = q.without(SmiQuery.rejectedName(error));
    assertThat(older.names())
        .contains("clocks_throttle_reasons.active")
        .doesNotContain("clocks_event_reasons.active");
    SmiQuery evenOlder =
        older.without("clocks_throttle_reasons.active").without("mig.mode.current");
    assertThat(evenOlder.has(SmiField.CLOCK_REASONS)).isFalse();
    assertThat(evenOlder.has(SmiField.MIG_MODE)).isFalse();
    assertThat(evenOlder.without("not.asked")).isEqualTo(evenOlder);
    assertThat(SmiQuery.rejectedName("NVIDIA-SMI has failed because it couldn't communicate"))
        .isNull();
  }
}
