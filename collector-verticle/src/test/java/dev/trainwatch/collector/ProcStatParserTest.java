package dev.trainwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.collector.system.proc.ProcStat;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class ProcStatParserTest {

  @Test
  void perCpuLinesInStateOrderWithoutGuestAndWithoutTheAggregate() {
    String text =
        """
        cpu  12863 0 2749 145726 2099 0 54 389 7 1
        cpu0 6372 1 1186 73987 234 2 8 193 5 1
        cpu1 6490 0 1562 71739 1864 0 45 195 2 0
        intr 175079 0 0 0 0 0 0 0
        ctxt 374383
        btime 1795000000
        softirq 1 2 3
        """;
    SortedMap<Integer, long[]> t = ProcStat.parseCpuTicks(text);
    assertThat(t).containsOnlyKeys(0, 1);
    assertThat(t.get(0)).containsExactly(6372, 1, 1186, 73987, 234, 2, 8, 193);
    assertThat(t.get(1)).containsExactly(6490, 0, 1562, 71739, 1864, 0, 45, 195);
  }

  @Test
  void offlineCoresLeaveHolesAndHighNumbersParse() {
    String text =
        """
        cpu 1 2 3 4 5 6 7 8 0 0
        cpu0 1 2 3 4 5 6 7 8 0 0
        cpu3 10 20 30 40 50 60 70 80 0 0
        cpu127 100 200 300 400 500 600 700 800 0 0
        """;
    SortedMap<Integer, long[]> t = ProcStat.parseCpuTicks(text);
    assertThat(t.keySet()).containsExactly(0, 3, 127);
    assertThat(t.lastKey()).isEqualTo(127);
    assertThat(t.get(3)).containsExactly(10, 20, 30, 40, 50, 60, 70, 80);
  }

  @Test
  void oldKernelStatesMissingReadZeroAndGarbageLinesAreSkipped() {
    String text =
        """
        cpu0 100 0 50 1000
        cpu1 100 x 50 1000 1 1 1 1
        cpu2 1 2
        cpuX 1 2 3 4 5 6 7 8
        cpu3 18446744073709551615 0 0 0 0 0 0 0
        """;
    SortedMap<Integer, long[]> t = ProcStat.parseCpuTicks(text);
    assertThat(t.keySet()).containsExactly(0, 3);
    assertThat(t.get(0)).containsExactly(100, 0, 50, 1000, 0, 0, 0, 0);
    // u64 max keeps its bits; it goes on the wire as an unsigned number
    assertThat(Long.toUnsignedString(t.get(3)[0])).isEqualTo("18446744073709551615");
  }

  @Test
  void emptyTextGivesNothing() {
    assertThat(ProcStat.parseCpuTicks("")).isEmpty();
  }
}
