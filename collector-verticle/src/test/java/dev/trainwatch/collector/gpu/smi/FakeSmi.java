package dev.trainwatch.collector.gpu.smi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in {@code nvidia-smi}: a shell script that answers the three invocations the fallback
 * makes from files next to it (the way nvidia_gpu_exporter tests its CSV path), so the process
 * handling runs for real.
 */
public final class FakeSmi {
  private FakeSmi() {}

  private static final AtomicInteger N = new AtomicInteger();

  private static final String SCRIPT =
      """
      #!/bin/sh
      dir="$(dirname "$0")"
      case "$1" in
        --help-query-gpu)
          [ -f "$dir/help.txt" ] || { echo "Invalid combination of input arguments."; exit 2; }
          cat "$dir/help.txt" ;;
        --query-gpu=*)
          if [ -f "$dir/broken" ]; then cat "$dir/broken"; exit 9; fi
          if [ -f "$dir/old-driver" ]; then
            case "$1" in *clocks_event_reasons*)
              echo 'Field "clocks_event_reasons.active" is not a valid field to query.'; exit 2 ;;
            esac
          fi
          cat "$dir/gpus.csv" ;;
        --query-compute-apps=*) cat "$dir/apps.csv" ;;
        *) echo "unexpected arguments: $*"; exit 9 ;;
      esac
      """;

  /**
   * Writes the script and its answers into a fresh directory under {@code target/}.
   *
   * @param help {@code --help-query-gpu} output, or null to make that call fail
   * @param extra file name and content pairs: {@code broken} (query output when the driver is
   *     gone), {@code old-driver} (reject the new clock-reasons name)
   */
  public static Path create(String help, String gpusCsv, String appsCsv, String... extra)
      throws IOException {
    Path dir =
        Path.of("target/fake-smi/" + ProcessHandle.current().pid() + "-" + N.incrementAndGet())
            .toAbsolutePath();
    Files.createDirectories(dir);
    Path exe = dir.resolve("nvidia-smi");
    Files.writeString(exe, SCRIPT);
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (help != null) {
      Files.writeString(dir.resolve("help.txt"), help);
    }
    Files.writeString(dir.resolve("gpus.csv"), gpusCsv);
    Files.writeString(dir.resolve("apps.csv"), appsCsv);
    for (int i = 0; i + 1 < extra.length; i += 2) {
      Files.writeString(dir.resolve(extra[i]), extra[i + 1]);
    }
    return exe;
  }
}
