package dev.trainwatch.collector.gpu.proc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the container a process runs in from its {@code /proc/<pid>/cgroup}. Every common runtime
 * names the process's cgroup after the 64-hex container id, either as a bare path segment (cgroupfs
 * driver: {@code /docker/<id>}, {@code /kubepods/burstable/pod<uid>/<id>}, {@code /default/<id>})
 * or as a systemd scope ({@code docker-<id>.scope}, {@code cri-containerd-<id>.scope}, {@code
 * crio-<id>.scope}, {@code libpod-<id>.scope}, {@code nerdctl-<id>.scope}). The innermost match
 * wins, so docker-in-docker reports the inner container.
 *
 * <p>conmon (the CRI-O/podman monitor) lives in {@code crio-conmon-<id>.scope}; it is not the
 * container itself. Inside a private cgroup namespace the path is just {@code /} and nothing can be
 * said.
 */
public final class CgroupContainerId {
  private CgroupContainerId() {}

  private static final Pattern SEGMENT =
      Pattern.compile("^(?:([A-Za-z0-9_.-]+?)-)?([0-9a-f]{64})(?:\\.scope)?$");

  /** The full 64-hex container id, or null when the process is not in a recognisable container. */
  public static String parse(String cgroupFile) {
    if (cgroupFile == null || cgroupFile.isEmpty()) {
      return null;
    }
    for (String line : cgroupFile.split("\n")) {
      String id = fromLine(line.strip());
      if (id != null) {
        return id;
      }
    }
    return null;
  }

  private static String fromLine(String line) {
    // hierarchy-id:controllers:path; the path itself may not contain ':' in practice, but take all
    // after the 2nd
    int first = line.indexOf(':');
    int second = first < 0 ? -1 : line.indexOf(':', first + 1);
    if (second < 0) {
      return null;
    }
    String[] segments = line.substring(second + 1).split("/");
    for (int i = segments.length - 1; i >= 0; i--) {
      Matcher m = SEGMENT.matcher(segments[i]);
      if (m.matches() && (m.group(1) == null || !m.group(1).contains("conmon"))) {
        return m.group(2);
      }
    }
    return null;
  }
}
