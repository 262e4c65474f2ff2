package dev.trainwatch.collector.gpu.proc;

/**
 * Who runs a GPU process and what it is, read from {@code /proc}. Each part is null when unknown.
 *
 * @param container the 64-hex container id (see {@link CgroupContainerId})
 */
public record ProcessDetails(String user, String command, String container) {
  public static final ProcessDetails UNKNOWN = new ProcessDetails(null, null, null);

  /** The contract's limit for {@code user}. */
  public static final int MAX_USER = 64;

  /** Looks a PID up on this host. */
  public static ProcessDetails of(long pid, ProcFs proc, UserNames users) {
    if (!proc.exists(pid)) {
      return UNKNOWN; // one stat instead of four failed reads, each an exception
    }
    Long uid = ProcFs.realUid(proc.status(pid));
    String user = uid == null ? null : users.name(uid);
    if (user != null && user.length() > MAX_USER) {
      user = user.substring(0, MAX_USER);
    }
    String command = ProcFs.command(proc.cmdline(pid));
    if (command == null) {
      command = proc.comm(pid);
      if (command != null && command.isEmpty()) {
        command = null;
      }
    }
    String container = CgroupContainerId.parse(proc.cgroup(pid));
    return new ProcessDetails(user, command, container);
  }

  /**
   * This, with {@code fallback} as the command when /proc had none (e.g. a PID from another PID
   * namespace).
   */
  public ProcessDetails withCommandFallback(String fallback) {
    if (command != null || fallback == null || fallback.isBlank()) {
      return this;
    }
    String c = fallback.strip();
    return new ProcessDetails(
        user, c.length() <= ProcFs.MAX_COMMAND ? c : c.substring(0, ProcFs.MAX_COMMAND), container);
  }
}
