package dev.trainwatch.launcher;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Local mode's one-time sign-in URL (CONTRACT §6): {@code <base>/login?token=…}. The token is 256
 * random bits; only its hash is stored, it works once, and it expires after {@code
 * auth.login_token_ttl_s}. A running server writes its base URL to {@code <data_dir>/gateway.url}
 * so {@code trainwatch login-url} prints the URL it really serves.
 */
final class LoginUrl {
  private LoginUrl() {}

  static final String URL_FILE = "gateway.url";

  /**
   * The base URL browsers use: {@code http.public_url}, else the bound address (loopback for a
   * wildcard bind).
   */
  static String base(JsonObject config, int port) {
    JsonObject http = config.getJsonObject("http");
    String pub = http.getString("public_url");
    if (pub != null) {
      return pub.endsWith("/") ? pub.substring(0, pub.length() - 1) : pub;
    }
    String host = http.getString("host").replace("[", "").replace("]", "");
    String shown =
        host.equals("0.0.0.0") || host.equals("::")
            ? "127.0.0.1"
            : host.contains(":") ? "[" + host + "]" : host;
    return (http.getString("tls_cert") != null ? "https" : "http") + "://" + shown + ":" + port;
  }

  /**
   * Where agents send when ingest has its own listener: its address, or for a wildcard bind this
   * machine's name (the address agents elsewhere can use; 0.0.0.0 is not one).
   */
  static String ingestBase(JsonObject config, int port) {
    JsonObject http = config.getJsonObject("http");
    // ingest.host is null unless ingest has a bind address of its own (getString's default covers
    // only absence).
    String own = config.getJsonObject("ingest").getString("host");
    String host = (own != null ? own : http.getString("host")).replace("[", "").replace("]", "");
    if (host.equals("0.0.0.0") || host.equals("::")) {
      try {
        host = InetAddress.getLocalHost().getCanonicalHostName();
      } catch (IOException e) {
        host = "127.0.0.1";
      }
    }
    return (http.getString("tls_cert") != null ? "https" : "http")
        + "://"
        + (host.contains(":") ? "[" + host + "]" : host)
        + ":"
        + port;
  }

  static String url(String base, String token) {
    return base + "/login?token=" + token;
  }

  /** Mints through the bus (a running stack: history stores it). */
  static Future<String> mint(Vertx vertx, JsonObject config, String base) {
    String token = Tokens.secret(32);
    JsonObject ask =
        new JsonObject()
            .put("token_sha256", Tokens.sha256Hex(token))
            .put("ttl_s", config.getJsonObject("auth").getInteger("login_token_ttl_s"));
    return vertx
        .eventBus()
        .request(Addresses.ACCESS_LOGIN_MINT, ask, new DeliveryOptions().setSendTimeout(10_000))
        .map(m -> url(base, token));
  }

  static void remember(Path dataDir, String base) {
    try {
      Files.createDirectories(dataDir);
      Files.writeString(dataDir.resolve(URL_FILE), base + "\n");
    } catch (IOException e) {
      // Only login-url's convenience is lost: it falls back to the configured address.
    }
  }

  static void forget(Path dataDir) {
    try {
      Files.deleteIfExists(dataDir.resolve(URL_FILE));
    } catch (IOException e) {
      // Stale at worst; the next run overwrites it.
    }
  }

  /** The running server's base URL, else the configured one. */
  static String runningBase(JsonObject config) {
    try {
      Path f = DataDir.resolve(config.getString("data_dir")).resolve(URL_FILE);
      if (Files.exists(f)) {
        return Files.readString(f).trim();
      }
    } catch (IOException e) {
      // Fall through to the configured address.
    }
    return base(config, config.getJsonObject("http").getInteger("port"));
  }
}
