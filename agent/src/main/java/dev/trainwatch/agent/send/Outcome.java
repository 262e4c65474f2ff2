package dev.trainwatch.agent.send;

/**
 * What one POST to ingest came to.
 *
 * @param problem null when the server answered 202
 * @param status the HTTP status, or 0 when no answer came
 * @param retryAfterMs the server's Retry-After, or -1
 * @param detail the server's error code and message, or the network failure, for logs and {@code
 *     --once}
 */
public record Outcome(
    Problem problem, int status, long retryAfterMs, int accepted, int duplicates, String detail) {
  public static Outcome accepted(int accepted, int duplicates) {
    return new Outcome(null, 202, -1, accepted, duplicates, null);
  }

  public static Outcome failed(Problem problem, int status, long retryAfterMs, String detail) {
    return new Outcome(problem, status, retryAfterMs, 0, 0, detail);
  }

  public boolean ok() {
    return problem == null;
  }

  /** A line for people: the status (or failure) and what the server or network said. */
  public String describe() {
    if (ok()) {
      return "202 accepted " + accepted + ", duplicates " + duplicates;
    }
    return (status > 0 ? "HTTP " + status : problem.what()) + (detail == null ? "" : ": " + detail);
  }
}
