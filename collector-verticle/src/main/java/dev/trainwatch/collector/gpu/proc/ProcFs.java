package dev.trainwatch.collector.gpu.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the few {@code /proc/<pid>} files the process list needs. A missing file is normal (the
 * process exited, or NVML reported a PID from another PID namespace) and reads as null. Parsing is
 * in static pure functions.
 */
public final class ProcFs {
  /** Commands longer than this are cut; it is the contract's limit for {@code command}. */
  public static final int MAX_COMMAND = 1024;

  private final Path root;

  public ProcFs(Path root) {
    this.root = root;
  }

  public static ProcFs system() {
    return new ProcFs(Path.of("/proc"));
  }

  /**
   * Whether this PID is visible here; NVML reports host PIDs, which a containerised agent may not
   * see.
   */
  public boolean exists(long pid) {
    return Files.isDirectory(root.resolve(Long.toString(pid)));
  }

  public String status(long pid) {
    byte[] b = read(pid, "status");
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  public byte[] cmdline(long pid) {
    return read(pid, "cmdline");
  }

  public String comm(long pid) {
    byte[] b = read(pid, "comm");
    return b == null ? null : new String(b, StandardCharsets.UTF_8).strip();
  }

  public String cgroup(long pid) {
    byte[] b = read(pid, "cgroup");
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private byte[] read(long pid, String file) {
    try {
      return Files.readAllBytes(root.resolve(Long.toString(pid)).resolve(file));
    } catch (IOException | SecurityException e) {
      return null;
    }
  }

  /**
   * The real UID from a {@code status} file's {@code Uid:} line (real, effective, saved, fs), or
   * null.
   */
  public static Long realUid(String status) {
    if (status == null) {
      return null;
    }
    for (String line : status.split("\n")) {
      if (line.startsWith("Uid:")) {
        String[] f = line.substring(4).strip().split("\\s+");
        try {
          return f.length == 0 ? null : Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * The command line from {@code cmdline}'s NUL-separated arguments, joined by spaces and cut to
   * {@link #MAX_COMMAND} characters; null when empty (kernel threads, zombies).
   */
  public static String command(byte[] cmdline) {
    if (cmdline == null) {
      return null;
    }
    int end = cmdline.length;
    while (end > 0 && cmdline[end - 1] == 0) {
      end--;
    }
    if (end == 0) {
      return null;
    }
    byte[] copy = new byte[end];
    for (int i = 0; i < end; i++) {
      copy[i] = cmdline[i] == 0 ? (byte) ' ' : cmdline[i];
    }
    String s = new String(copy, StandardCharsets.UTF_8).strip();
    if (s.isEmpty()) {
      return null;
    }
    return s.length() <= MAX_COMMAND ? s : s.substring(0, MAX_COMMAND);
  }
}
