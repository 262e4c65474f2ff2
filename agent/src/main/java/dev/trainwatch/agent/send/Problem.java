package dev.trainwatch.agent.send;

/**
 * Why a delivery did not end in a 202, with the exit code {@code --once} returns for it and the
 * line it prints. Rules as data: {@code docs/agent.md}'s troubleshooting table lists every row,
 * checked by {@code ProblemDocTest}.
 *
 * @param retried whether a long-running agent keeps the snapshots and tries again (network and
 *     server-side trouble), or drops them, counts it and logs it once (the server said this request
 *     will never be accepted)
 */
public enum Problem {
  UNAUTHORIZED(
      3,
      "401",
      false,
      "the server refused the token: a wrong token, one rotated on the server "
          + "(`trainwatch register-server SLUG --rotate-token` prints the new one) or one copied with extra whitespace"),
  SERVER_DISABLED(
      4,
      "403",
      false,
      "this server is disabled on the Trainwatch server: "
          + "`trainwatch register-server SLUG --enable` accepts its agent again"),
  UNKNOWN_SERVER(
      5,
      "404",
      false,
      "no such server or endpoint: check --server-slug against `trainwatch list-servers`, "
          + "and that --host is the dashboard's base URL (a reverse proxy must forward /api/ingest/)"),
  TLS(
      6,
      "TLS",
      true,
      "the TLS handshake failed: this JVM does not trust the server's certificate (add its CA to the "
          + "Java trust store) or the certificate names another host; --insecure skips the check, for testing only"),
  UNREACHABLE(
      7,
      "connection",
      true,
      "nothing answered at --host: connection refused, unknown host or no route; "
          + "check the URL and port, that the server listens on an address this host can reach (its http.host), and "
          + "any firewall"),
  TIMEOUT(
      8,
      "timeout",
      true,
      "the server did not answer within --timeout seconds: it is overloaded, or a proxy "
          + "holds the request"),
  REJECTED(
      9,
      "4xx",
      false,
      "the server refused this snapshot as malformed, too large or unexpected; it is not "
          + "sent again"),
  UNAVAILABLE(
      10,
      "5xx/429",
      true,
      "the server is overloaded or its storage is down; a running agent keeps the "
          + "snapshots on disk and retries, honouring Retry-After");

  private final int exitCode;
  private final String what;
  private final boolean retried;
  private final String hint;

  Problem(int exitCode, String what, boolean retried, String hint) {
    this.exitCode = exitCode;
    this.what = what;
    this.retried = retried;
    this.hint = hint;
  }

  public int exitCode() {
    return exitCode;
  }

  /** The status or failure class as the docs' table names it. */
  public String what() {
    return what;
  }

  public boolean retried() {
    return retried;
  }

  public String hint() {
    return hint;
  }

  /** The problem an HTTP status other than 202 means. */
  public static Problem ofStatus(int status) {
    return switch (status) {
      case 401 -> UNAUTHORIZED;
      case 403 -> SERVER_DISABLED;
      case 404 -> UNKNOWN_SERVER;
      case 408, 429 -> UNAVAILABLE;
      default -> status >= 500 ? UNAVAILABLE : REJECTED;
    };
  }
}
