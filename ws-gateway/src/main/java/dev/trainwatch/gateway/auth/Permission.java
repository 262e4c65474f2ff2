package dev.trainwatch.gateway.auth;

/**
 * What a signed-in caller may do. Routes name the permission they need; roles grant sets of them
 * ({@link Role}).
 */
public enum Permission {
  /** Read servers, metrics, history, the live stream and {@code /metrics}. */
  VIEW,
  /** Acknowledge a firing alert. */
  ACKNOWLEDGE,
  /** Register servers, rotate their tokens, enable and disable them. */
  MANAGE_SERVERS,
  /** Create, list and revoke API tokens. */
  MANAGE_TOKENS,
  /** Create, change and delete alert rules. */
  MANAGE_ALERT_RULES
}
