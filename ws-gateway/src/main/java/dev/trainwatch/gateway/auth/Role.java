package dev.trainwatch.gateway.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Roles (seed 002) as data: each grants a fixed set of permissions. docs/security.md shows the same
 * table and {@code RoleTableDocTest} checks the two agree.
 */
public enum Role {
  READER(EnumSet.of(Permission.VIEW)),
  USER(EnumSet.of(Permission.VIEW, Permission.ACKNOWLEDGE)),
  ADMIN(EnumSet.allOf(Permission.class));

  private final Set<Permission> grants;

  Role(Set<Permission> grants) {
    this.grants = Set.copyOf(grants);
  }

  public boolean can(Permission p) {
    return grants.contains(p);
  }

  public Set<Permission> grants() {
    return grants;
  }

  /** The lower-case name used in config, the API and the database. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Null when {@code s} names no role. */
  public static Role parse(String s) {
    if (s == null) {
      return null;
    }
    for (Role r : values()) {
      if (r.id().equals(s)) {
        return r;
      }
    }
    return null;
  }
}
