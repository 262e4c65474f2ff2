package dev.trainwatch.launcher;

import dev.trainwatch.bus.Tokens;
import dev.trainwatch.history.HistoryVerticle;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Registry changes made by an operator. Each change commits, then NOTIFYs so running ingest nodes drop cached token
 * verdicts at once.
 */
final class ServerRegistry {
  record Row(String slug, String name, String tokenPrefix, boolean active, String lastSeenAt, String hostname) {}

  /** What a registration did; {@code token} is set only when a new token was made (printed once, never stored). */
  record Result(boolean created, String token) {}

  private final Connection c;

  ServerRegistry(Connection c) {
    this.c = c;
  }

  Result register(String slug, String name, boolean rotate, Boolean active) throws SQLException {
    c.setAutoCommit(false);
    try {
      boolean exists;
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM servers WHERE slug = ? FOR UPDATE")) {
        ps.setString(1, slug);
        try (ResultSet rs = ps.executeQuery()) {
          exists = rs.next();
        }
      }
      String token = null;
      if (!exists) {
        token = Tokens.generate();
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO servers (slug, name, token_prefix, token_hash, is_active) VALUES (?, ?, ?, ?, ?)")) {
          ps.setString(1, slug);
          ps.setString(2, name == null ? slug : name);
          ps.setString(3, Tokens.prefix(token));
          ps.setBytes(4, Tokens.sha256(token));
          ps.setBoolean(5, active == null || active);
          ps.executeUpdate();
        }
      } else {
        if (rotate) {
          token = Tokens.generate();
          try (PreparedStatement ps = c.prepareStatement(
              "UPDATE servers SET token_prefix = ?, token_hash = ? WHERE slug = ?")) {
            ps.setString(1, Tokens.prefix(token));
            ps.setBytes(2, Tokens.sha256(token));
            ps.setString(3, slug);
            ps.executeUpdate();
          }
        }
        if (name != null) {
          update("UPDATE servers SET name = ? WHERE slug = ?", name, slug);
        }
        if (active != null) {
          try (PreparedStatement ps = c.prepareStatement("UPDATE servers SET is_active = ? WHERE slug = ?")) {
            ps.setBoolean(1, active);
            ps.setString(2, slug);
            ps.executeUpdate();
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
        ps.setString(1, HistoryVerticle.REGISTRY_CHANNEL);
        ps.setString(2, slug);
        ps.execute();
      }
      c.commit();
      return new Result(!exists, token);
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private void update(String sql, String a, String b) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, a);
      ps.setString(2, b);
      ps.executeUpdate();
    }
  }

  List<Row> list() throws SQLException {
    List<Row> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT slug, name, token_prefix, is_active, last_seen_at, hostname FROM servers ORDER BY slug");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        java.sql.Timestamp seen = rs.getTimestamp(5);
        out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
            seen == null ? null : dev.trainwatch.bus.Json.ts(seen.toInstant()), rs.getString(6)));
      }
    }
    return out;
  }
}
