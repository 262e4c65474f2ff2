package dev.trainwatch.bus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer secrets: {@code <kind>_<8 hex id>_<256 random bits, base64url>}. The kind says what a
 * token opens (agent tokens {@code tw_} only ingest, API tokens {@code twa_} only the dashboard
 * API), so a token pasted in the wrong place is recognisable in a support request. The {@code
 * <kind>_<id>} prefix is not secret (it names the token in listings and logs) and is never accepted
 * as a credential; only the SHA-256 of the whole token is stored, and comparisons are
 * constant-time.
 */
public final class Tokens {
  private Tokens() {}

  private static final SecureRandom RANDOM = new SecureRandom();
  public static final String AGENT = "tw";
  public static final String API = "twa";

  /**
   * Longest token any of our kinds produces, plus slack: longer input is refused before hashing.
   */
  public static final int MAX_LENGTH = 128;

  /** An agent token. */
  public static String generate() {
    return generate(AGENT);
  }

  public static String generate(String kind) {
    byte[] id = new byte[4];
    RANDOM.nextBytes(id);
    return kind + "_" + HexFormat.of().formatHex(id) + "_" + secret(32);
  }

  /**
   * {@code bytes} random bytes, base64url without padding: a one-time login token, a session id.
   */
  public static String secret(int bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random(bytes));
  }

  /** {@code bytes} bytes from the shared {@code SecureRandom}: a key. */
  public static byte[] random(int bytes) {
    byte[] secret = new byte[bytes];
    RANDOM.nextBytes(secret);
    return secret;
  }

  /** The public part, safe to print and store: {@code tw_1a2b3c4d}. */
  public static String prefix(String token) {
    int first = token.indexOf('_');
    int second = first < 0 ? -1 : token.indexOf('_', first + 1);
    return second < 0
        ? token.substring(0, Math.min(token.length(), 12))
        : token.substring(0, second);
  }

  public static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256Hex(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  public static boolean matches(byte[] storedHash, byte[] presentedHash) {
    return storedHash != null && MessageDigest.isEqual(storedHash, presentedHash);
  }
}
