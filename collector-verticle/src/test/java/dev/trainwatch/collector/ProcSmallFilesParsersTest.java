package dev.trainwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainwatch.collector.system.proc.Cpuinfo;
import dev.trainwatch.collector.system.proc.Loadavg;
import dev.trainwatch.collector.system.proc.Pressure;
import dev.trainwatch.collector.system.proc.Uptime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcSmallFilesParsersTest {

  @Test
  void pressureSomeAndFullTotals() {
    String io =
        """
        some avg10=2.20 avg60=1.05 avg300=1.31 total=16427840
        full avg10=2.10 avg60=1.00 avg300=1.27 total=16088935
        """;
    assertThat(Pressure.parse(io)).isEqualTo(new Pressure(16427840L, 16088935L));
    // cpu before 5.13 has no "full" line
    assertThat(Pressure.parse("some avg10=0.89 avg60=1.17 avg300=2.79 total=29919787\n"))
        .isEqualTo(new Pressure(29919787L, null));
    assertThat(Pressure.parse("")).isEqualTo(new Pressure(null, null));
  }

  @Test
  void loadavg() {
    assertThat(Loadavg.parse("0.16 0.22 0.16 1/84 5442\n")).isEqualTo(List.of(0.16, 0.22, 0.16));
    assertThat(Loadavg.parse("0.16 oops 0.16 1/84 5442\n")).isNull();
    assertThat(Loadavg.parse("")).isNull();
  }

  @Test
  void uptimeExactMilliseconds() {
    assertThat(Uptime.parseMs("985.60 1766.21\n")).isEqualTo(985_600);
    assertThat(Uptime.parseMs("12.34 1.00\n")).isEqualTo(12_340);
    assertThat(Uptime.parseMs("31536000.99 0\n")).isEqualTo(31_536_000_990L);
    assertThatThrownBy(() -> Uptime.parseMs("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cpuinfoMhzPerProcessor() {
    String x86 =
        """
        processor\t: 0
        vendor_id\t: AuthenticAMD
        cpu MHz\t\t: 2596.140
        flags\t\t: fpu vme

        processor\t: 1
        vendor_id\t: AuthenticAMD
        cpu MHz\t\t: 3400.000
        """;
    assertThat(Cpuinfo.parseMhz(x86)).isEqualTo(Map.of(0, 2596.140, 1, 3400.0));
    String arm =
        """
        processor\t: 0
        BogoMIPS\t: 50.00
        CPU implementer\t: 0x41
        """;
    assertThat(Cpuinfo.parseMhz(arm)).isEmpty();
  }
}
