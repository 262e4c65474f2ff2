package dev.trainwatch.bus;

/**
 * A message or agent payload that does not match the contract. {@link #field()} is the JSON path of
 * the offending value (e.g. {@code gpus[2].temperature_c}), so the ingest API can name it in its
 * 400 and the bus can log it.
 */
public final class InvalidPayloadException extends RuntimeException {
  private final String field;

  public InvalidPayloadException(String field, String message) {
    super(field == null || field.isEmpty() ? message : field + ": " + message, null, false, false);
    this.field = field;
  }

  public String field() {
    return field;
  }

  /** The human sentence without the field prefix. */
  public String reason() {
    String m = getMessage();
    return field == null || field.isEmpty() ? m : m.substring(field.length() + 2);
  }
}
