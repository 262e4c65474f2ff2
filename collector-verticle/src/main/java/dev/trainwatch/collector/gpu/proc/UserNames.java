package dev.trainwatch.collector.gpu.proc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import oshi.util.UserGroupInfo;

/**
 * UID to user name. OSHI reads {@code /etc/passwd} and falls back to {@code getent passwd}
 * (LDAP/SSSD users), which spawns a process per unknown UID; the results, including "no such user",
 * are cached for the source's lifetime so a process list sampled every few seconds does not fork on
 * each pass.
 */
public final class UserNames {
  private static final String NONE = "";
  private static final int MAX_CACHED = 4096;

  private final LongFunction<String> lookup;
  private final Map<Long, String> cache = new ConcurrentHashMap<>();

  public UserNames(LongFunction<String> lookup) {
    this.lookup = lookup;
  }

  public static UserNames system() {
    return new UserNames(
        uid -> {
          String name = UserGroupInfo.getUser(Long.toString(uid));
          // OSHI answers "unknown" when neither passwd nor getent knows the UID
          return name == null || name.isEmpty() || "unknown".equals(name) ? null : name;
        });
  }

  /** The user name, or null when the UID is unknown to the system. */
  public String name(long uid) {
    if (cache.size() > MAX_CACHED) {
      cache.clear();
    }
    String name =
        cache.computeIfAbsent(
            uid,
            u -> {
              String n = lookup.apply(u);
              return n == null ? NONE : n;
            });
    return name.isEmpty() ? null : name;
  }
}
