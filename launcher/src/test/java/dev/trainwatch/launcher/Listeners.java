package dev.trainwatch.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Listening TCP sockets from {@code /proc/net/tcp{,6}} (what {@code ss -ltn} reads), for exposure
 * tests.
 */
final class Listeners {
  private Listeners() {}

  record Listener(String address, int port, long inode) {
    /**
     * 127.0.0.0/8, ::1, or 127.x mapped into IPv6 (::ffff:127.x, how a dual-stack JVM binds
     * 127.0.0.1).
     */
    boolean loopback() {
      if (address.length() == 8) {
        return address.endsWith("7F"); // little-endian: the first octet is the last byte
      }
      return address.equals("00000000000000000000000001000000")
          || (address.startsWith("0000000000000000FFFF0000") && address.endsWith("7F"));
    }
  }

  static List<Listener> read() throws IOException {
    List<Listener> out = new ArrayList<>();
    for (String f : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      Path p = Path.of(f);
      if (!Files.exists(p)) {
        continue;
      }
      for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
        String[] c = line.trim().split("\\s+");
        if (!c[3].equals("0A")) {
          continue; // not LISTEN
        }
        String[] local = c[1].split(":");
        out.add(new Listener(local[0], Integer.parseInt(local[1], 16), Long.parseLong(c[9])));
      }
    }
    return out;
  }

  /** Socket inodes this process holds open. */
  static Set<Long> ownInodes() throws IOException {
    Set<Long> out = new HashSet<>();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            out.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        } catch (IOException e) {
          // The descriptor closed while we looked.
        }
      }
    }
    return out;
  }
}
