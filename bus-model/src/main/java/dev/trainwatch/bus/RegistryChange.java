package dev.trainwatch.bus;

import io.vertx.core.json.JsonObject;
import java.util.HexFormat;

/**
 * One operator change to the server registry, as it travels on {@link Addresses#REGISTRY_CHANGE}
 * (from the dashboard's admin API) and as the admin CLI hands it to history's store. {@code
 * tokenHash}/{@code tokenPrefix}: a token made by the caller (only its SHA-256 travels), used when
 * the server is created, or on an existing one when {@code rotate}. Null fields leave the column as
 * it is.
 */
public record RegistryChange(
    Mode mode,
    String slug,
    String name,
    byte[] tokenHash,
    String tokenPrefix,
    boolean rotate,
    Boolean active) {

  /** How a change treats a slug that does (not) exist. */
  public enum Mode {
    CREATE,
    UPDATE,
    UPSERT
  }

  public JsonObject toJson() {
    JsonObject o =
        new JsonObject().put("mode", mode.name()).put("slug", slug).put("rotate", rotate);
    if (name != null) {
      o.put("name", name);
    }
    if (tokenHash != null) {
      o.put("token_sha256", HexFormat.of().formatHex(tokenHash)).put("token_prefix", tokenPrefix);
    }
    return active == null ? o : o.put("is_active", active);
  }

  public static RegistryChange fromJson(JsonObject o) {
    String hex = o.getString("token_sha256");
    return new RegistryChange(
        Mode.valueOf(o.getString("mode")),
        o.getString("slug"),
        o.getString("name"),
        hex == null ? null : HexFormat.of().parseHex(hex),
        o.getString("token_prefix"),
        o.getBoolean("rotate", false),
        o.getBoolean("is_active"));
  }
}
