package dev.trainwatch.history.layout;

import static dev.trainwatch.history.layout.Field.Summary.AVG;
import static dev.trainwatch.history.layout.Field.Summary.LAST;
import static dev.trainwatch.history.layout.Field.Summary.MAX;
import static dev.trainwatch.history.layout.Scale.BYTES;
import static dev.trainwatch.history.layout.Scale.ID;
import static dev.trainwatch.history.layout.Scale.MHZ;
import static dev.trainwatch.history.layout.Scale.PERCENT;
import static dev.trainwatch.history.layout.Scale.REAL;
import static dev.trainwatch.history.layout.Scale.REAL_WHOLE;

import dev.trainwatch.bus.derived.CpuFigures;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.derived.DiskFigures;
import dev.trainwatch.bus.derived.DiskRates;
import dev.trainwatch.bus.derived.GpuFigures;
import dev.trainwatch.bus.derived.GpuRollup;
import dev.trainwatch.bus.derived.MemoryFigures;
import dev.trainwatch.bus.derived.NetworkFigures;
import dev.trainwatch.bus.derived.NicRates;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Every stored figure, one table per array of the {@code samples} row: writing ({@link
 * Layout#encode}), reading ({@link Agg}) and the history point ({@link Points}) all take positions,
 * scales and summaries from here. A constant's ordinal is its stored position, so the V2 migration
 * fixes the order: moving a constant or changing its scale needs a migration that rewrites stored
 * rows (FieldsTest pins both); a new host or memory figure goes at the end of its table.
 *
 * <p>Each table reads its figures with an exhaustive switch ({@code of}) rather than a lambda per
 * constant: a constant without a reader does not compile, and encoding (~200 reads per snapshot)
 * stays within ~150 ns of the straight-line code it replaced, where one call site over dozens of
 * lambdas measured four times slower (docs/benchmarks.md).
 */
public final class Fields {
  private Fields() {}

  /** {@code h real[]}: one per snapshot. */
  public enum Host {
    INTERVAL_S("interval_s", REAL, AVG, false),
    CPU_UTILIZATION("cpu.utilization", REAL, AVG, true),
    CPU_IOWAIT("cpu.iowait", REAL, AVG, true),
    CPU_STEAL("cpu.steal", REAL, AVG, true),
    // The point shows these as cpu.load_avg [1, 5, 15 min]; the names are their keys under min and
    // max.
    LOAD1("load1", REAL, AVG, true),
    LOAD5("load5", REAL, AVG, true),
    LOAD15("load15", REAL, AVG, true),
    SWAP_IN_RATE("memory.swap_in_rate", REAL, AVG, true),
    SWAP_OUT_RATE("memory.swap_out_rate", REAL, AVG, true),
    DISK_READ_RATE("disk.read_rate", REAL, AVG, true),
    DISK_WRITE_RATE("disk.write_rate", REAL, AVG, true),
    NET_UPLOAD_RATE("network.upload_rate", REAL, AVG, true),
    NET_DOWNLOAD_RATE("network.download_rate", REAL, AVG, true),
    GPU_UTIL_MAX("gpu_util_max", REAL, MAX, true),
    GPU_UTIL_AVG("gpu_util_avg", REAL, AVG, true);

    public static final Host[] ALL = values();
    public final Field field;

    /**
     * Also under the point's {@code min} and {@code max}; the sampling interval is not a
     * measurement.
     */
    public final boolean extremes;

    Host(String name, Scale scale, Field.Summary summary, boolean extremes) {
      this.field = new Field(ordinal(), name, scale, summary);
      this.extremes = extremes;
    }

    /** The figure in {@code s}; null when absent. */
    Double of(DerivedSnapshot s) {
      CpuFigures cpu = s.cpu();
      MemoryFigures mem = s.memory();
      DiskFigures disk = s.disk();
      NetworkFigures net = s.network();
      GpuRollup g = s.gpuRollup();
      return switch (this) {
        case INTERVAL_S -> s.intervalS();
        case CPU_UTILIZATION -> cpu == null ? null : cpu.utilization();
        case CPU_IOWAIT -> cpu == null ? null : cpu.iowait();
        case CPU_STEAL -> cpu == null ? null : cpu.steal();
        case LOAD1 -> load(cpu, 0);
        case LOAD5 -> load(cpu, 1);
        case LOAD15 -> load(cpu, 2);
        case SWAP_IN_RATE -> mem == null ? null : mem.swapInRate();
        case SWAP_OUT_RATE -> mem == null ? null : mem.swapOutRate();
        case DISK_READ_RATE -> disk == null ? null : disk.readRate();
        case DISK_WRITE_RATE -> disk == null ? null : disk.writeRate();
        case NET_UPLOAD_RATE -> net == null ? null : net.uploadRate();
        case NET_DOWNLOAD_RATE -> net == null ? null : net.downloadRate();
        case GPU_UTIL_MAX -> g == null ? null : g.utilMax();
        case GPU_UTIL_AVG -> g == null ? null : g.utilAvg();
      };
    }
  }

  /**
   * {@code m bigint[]}: one per snapshot, byte counts kept exact. All are also under {@code min}
   * and {@code max}.
   */
  public enum Memory {
    RAM_USED("memory.ram_used", BYTES, AVG),
    RAM_TOTAL("memory.ram_total", BYTES, LAST),
    RAM_AVAILABLE("memory.ram_available", BYTES, AVG),
    SWAP_USED("memory.swap_used", BYTES, AVG),
    SWAP_TOTAL("memory.swap_total", BYTES, LAST),
    GPU_MEMORY_USED("gpu_memory_used", BYTES, AVG),
    GPU_MEMORY_TOTAL("gpu_memory_total", BYTES, LAST);

    public static final Memory[] ALL = values();
    public final Field field;

    Memory(String name, Scale scale, Field.Summary summary) {
      this.field = new Field(ordinal(), name, scale, summary);
    }

    /** The figure in {@code s}; null when absent. */
    Long of(DerivedSnapshot s) {
      MemoryFigures mem = s.memory();
      GpuRollup g = s.gpuRollup();
      return switch (this) {
        case RAM_USED -> mem == null ? null : mem.ramUsed();
        case RAM_TOTAL -> mem == null ? null : mem.ramTotal();
        case RAM_AVAILABLE -> mem == null ? null : mem.ramAvailable();
        case SWAP_USED -> mem == null ? null : mem.swapUsed();
        case SWAP_TOTAL -> mem == null ? null : mem.swapTotal();
        case GPU_MEMORY_USED -> g == null ? null : g.memoryUsed();
        case GPU_MEMORY_TOTAL -> g == null ? null : g.memoryTotal();
      };
    }
  }

  /** {@code c smallint[]}: one per core, in the order the snapshot lists them. */
  public static final Field CORE = new Field(0, "cpu.per_core", PERCENT, AVG);

  /**
   * {@code gs smallint[]}: a block per GPU, in the snapshot's order. The index identifies the GPU
   * in the block.
   */
  public enum GpuSmall {
    INDEX("index", ID, LAST),
    UTILIZATION("utilization", PERCENT, AVG),
    MEMORY_UTILIZATION("memory_utilization", PERCENT, AVG),
    TEMPERATURE("temperature", PERCENT, AVG),
    FAN("fan", PERCENT, AVG),
    ENCODER("encoder", PERCENT, AVG),
    DECODER("decoder", PERCENT, AVG),
    SM_CLOCK("sm_clock", MHZ, AVG),
    MEM_CLOCK("mem_clock", MHZ, AVG);

    public static final GpuSmall[] ALL = values();
    public static final Field[] FIELDS = fields(ALL, g -> g.field);
    public final Field field;

    GpuSmall(String name, Scale scale, Field.Summary summary) {
      this.field = new Field(ordinal(), name, scale, summary);
    }

    /** The figure in {@code g}; null when absent. */
    Number of(GpuFigures g) {
      return switch (this) {
        case INDEX -> g.index();
        case UTILIZATION -> g.utilization();
        case MEMORY_UTILIZATION -> g.memoryUtilization();
        case TEMPERATURE -> g.temperature();
        case FAN -> g.fan();
        case ENCODER -> g.encoder();
        case DECODER -> g.decoder();
        case SM_CLOCK -> g.smClock();
        case MEM_CLOCK -> g.memClock();
      };
    }
  }

  /** {@code gf real[]}: a block per GPU, the same GPUs as {@link GpuSmall}. */
  public enum GpuFloat {
    MEMORY_USED("memory_used", REAL_WHOLE, AVG),
    MEMORY_TOTAL("memory_total", REAL_WHOLE, LAST),
    POWER("power", REAL, AVG),
    AVERAGE_POWER("average_power", REAL, AVG),
    POWER_LIMIT("power_limit", REAL, LAST),
    PCIE_RX_RATE("pcie_rx_rate", REAL, AVG),
    PCIE_TX_RATE("pcie_tx_rate", REAL, AVG),
    ECC_UNCORRECTED_TOTAL("ecc_uncorrected_total", REAL_WHOLE, LAST);

    public static final GpuFloat[] ALL = values();
    public static final Field[] FIELDS = fields(ALL, g -> g.field);
    public final Field field;

    GpuFloat(String name, Scale scale, Field.Summary summary) {
      this.field = new Field(ordinal(), name, scale, summary);
    }

    /** The figure in {@code g}; null when absent. */
    Number of(GpuFigures g) {
      return switch (this) {
        case MEMORY_USED -> g.memoryUsed();
        case MEMORY_TOTAL -> g.memoryTotal();
        case POWER -> g.power();
        case AVERAGE_POWER -> g.averagePower();
        case POWER_LIMIT -> g.powerLimit();
        case PCIE_RX_RATE -> g.pcieRxRate();
        case PCIE_TX_RATE -> g.pcieTxRate();
        case ECC_UNCORRECTED_TOTAL -> g.eccUncorrectedTotal();
      };
    }
  }

  /** {@code d real[]}: a block per disk; names by position in {@code server_devices}. */
  public enum Disk {
    READ_RATE("read_rate", REAL, AVG),
    WRITE_RATE("write_rate", REAL, AVG),
    READ_IOPS("read_iops", REAL, AVG),
    WRITE_IOPS("write_iops", REAL, AVG),
    UTILIZATION("utilization", REAL, AVG);

    public static final Disk[] ALL = values();
    public static final Field[] FIELDS = fields(ALL, d -> d.field);
    public final Field field;

    Disk(String name, Scale scale, Field.Summary summary) {
      this.field = new Field(ordinal(), name, scale, summary);
    }

    /** The figure in {@code d}; null when absent. */
    Double of(DiskRates d) {
      return switch (this) {
        case READ_RATE -> d.readRate();
        case WRITE_RATE -> d.writeRate();
        case READ_IOPS -> d.readIops();
        case WRITE_IOPS -> d.writeIops();
        case UTILIZATION -> d.utilization();
      };
    }
  }

  /**
   * {@code n real[]}: a block per network interface; names by position in {@code server_devices}.
   */
  public enum Nic {
    UPLOAD_RATE("upload_rate", REAL, AVG),
    DOWNLOAD_RATE("download_rate", REAL, AVG),
    ERROR_RATE("error_rate", REAL, AVG);

    public static final Nic[] ALL = values();
    public static final Field[] FIELDS = fields(ALL, n -> n.field);
    public final Field field;

    Nic(String name, Scale scale, Field.Summary summary) {
      this.field = new Field(ordinal(), name, scale, summary);
    }

    /** The figure in {@code n}; null when absent. */
    Double of(NicRates n) {
      return switch (this) {
        case UPLOAD_RATE -> n.uploadRate();
        case DOWNLOAD_RATE -> n.downloadRate();
        case ERROR_RATE -> n.errorRate();
      };
    }
  }

  private static Double load(CpuFigures cpu, int i) {
    List<Double> l = cpu == null ? null : cpu.loadAvg();
    return l == null || l.size() <= i ? null : l.get(i);
  }

  private static <E> Field[] fields(E[] all, Function<E, Field> field) {
    return Arrays.stream(all).map(field).toArray(Field[]::new);
  }
}
