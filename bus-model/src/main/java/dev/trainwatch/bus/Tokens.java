package dev.trainwatch.bus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Agent tokens: {@code tw_<8 hex id>_<256 random bits, base64url>}. The {@code tw_<id>} prefix is not secret (it
 * names the token in listings and logs); only the SHA-256 of the whole token is stored, and comparisons are
 * constant-time.
 */
public final class Tokens {
  private Tokens() {}

  private static final SecureRandom RANDOM = new SecureRandom();
  public static final int PREFIX_LENGTH = 11;

  public static String generate() {
    byte[] id = new byte[4];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    return "tw_" + HexFormat.of().formatHex(id) + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** The public part, safe to print and store: {@code tw_1a2b3c4d}. */
  public static String prefix(String token) {
    return token.length() >= PREFIX_LENGTH ? token.substring(0, PREFIX_LENGTH) : token;
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
