package dev.trainwatch.collector.gpu.smi;

import static dev.trainwatch.collector.gpu.smi.SmiCells.*;

import dev.trainwatch.bus.raw.GpuRaw;
import dev.trainwatch.collector.gpu.ClockEventReasons;
import dev.trainwatch.collector.gpu.Readings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Parses {@code nvidia-smi --format=csv,noheader,nounits} output. Pure functions: text in, records
 * out. A line whose cell count does not match the query (a warning nvidia-smi printed, a name
 * containing a comma) is counted as rejected rather than guessed at.
 */
final class SmiCsv {
  private SmiCsv() {}

  /**
   * The process query; {@code process_name} goes last because it is the one cell that may contain
   * commas.
   */
  static final String PROCESS_QUERY = "--query-compute-apps=pid,gpu_uuid,used_memory,process_name";

  record Gpus(List<GpuRaw> gpus, String driverVersion, int rejectedLines) {}

  record Process(long pid, String gpuUuid, Long usedBytes, String name) {}

  static Gpus parseGpus(SmiQuery query, String output) {
    List<GpuRaw> gpus = new ArrayList<>();
    String driver = null;
    int rejected = 0;
    int width = query.fields().size();
    for (String line : lines(output)) {
      String[] cells = line.split(",", -1);
      if (cells.length != width) {
        rejected++;
        continue;
      }
      Row r = new Row(query, cells);
      Long index = whole(r.get(SmiField.INDEX));
      if (index == null || index > 1023) {
        rejected++;
        continue;
      }
      if (driver == null) {
        driver = text(r.get(SmiField.DRIVER_VERSION));
      }
      Long reasonMask = hexMask(r.get(SmiField.CLOCK_REASONS));
      gpus.add(
          new GpuRaw(
              index.intValue(),
              text(r.get(SmiField.UUID)),
              text(r.get(SmiField.NAME)),
              text(r.get(SmiField.PCI_BUS_ID)),
              r.number(SmiField.UTILIZATION, Readings::percent),
              r.number(SmiField.MEMORY_UTILIZATION, Readings::percent),
              mibToBytes(r.get(SmiField.MEMORY_USED)),
              mibToBytes(r.get(SmiField.MEMORY_TOTAL)),
              r.number(SmiField.TEMPERATURE, Readings::celsius),
              r.number(SmiField.POWER_DRAW, Readings::watts),
              r.number(SmiField.POWER_LIMIT, Readings::watts),
              r.number(SmiField.FAN, Readings::fanPercent),
              r.number(SmiField.SM_CLOCK, Readings::mhz),
              r.number(SmiField.MEM_CLOCK, Readings::mhz),
              null, // nvidia-smi has no energy counter field
              null, // PCIe throughput is only in `nvidia-smi dmon`, a resident loop
              null,
              r.number(SmiField.ENCODER, Readings::percent),
              r.number(SmiField.DECODER, Readings::percent),
              reasonMask == null ? null : ClockEventReasons.decode(reasonMask),
              whole(r.get(SmiField.ECC_UNCORRECTED)),
              enabled(r.get(SmiField.MIG_MODE)),
              null)); // XID events are NVML-only
    }
    return new Gpus(List.copyOf(gpus), driver, rejected);
  }

  static List<Process> parseProcesses(String output) {
    List<Process> out = new ArrayList<>();
    for (String line : lines(output)) {
      String[] cells = line.split(",", 4);
      if (cells.length < 3) {
        continue;
      }
      Long pid = whole(cells[0]);
      if (pid == null || pid == 0 || pid > Integer.MAX_VALUE) {
        continue;
      }
      String name = cells.length == 4 ? text(cells[3]) : null;
      out.add(new Process(pid, text(cells[1]), mibToBytes(cells[2]), name));
    }
    return out;
  }

  private static List<String> lines(String output) {
    if (output == null) {
      return List.of();
    }
    return Arrays.stream(output.split("\\R")).filter(l -> !l.isBlank()).toList();
  }

  /** One data line, addressed by field; a field not in the query reads as absent. */
  private record Row(SmiQuery query, String[] cells) {
    String get(SmiField f) {
      int i = query.fields().indexOf(f);
      return i < 0 ? null : cells[i];
    }

    Double number(SmiField f, DoubleFunction<Double> range) {
      Double d = SmiCells.number(get(f));
      return d == null ? null : range.apply(d);
    }
  }
}
