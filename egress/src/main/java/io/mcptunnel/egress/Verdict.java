package io.mcptunnel.egress;

/** The outcome of classifying one address, with the reason that is logged and counted. */
public record Verdict(String address, Reason reason, String refusalPhrase) {

  public enum Reason {
    ALLOWED(true),
    VALIDATION_DISABLED(true),
    NOT_ALLOWED(false),
    NOT_UNICAST(false),
    IPV6_NOT_SUPPORTED(false),
    MALFORMED(false),
    UNRESOLVED(false);

    private final boolean allows;

    Reason(boolean allows) {
      this.allows = allows;
    }
  }

  public boolean allowed() {
    return reason.allows;
  }

  /** The log line for a refusal: {@code IP validation failed: 127.0.0.1 is not a private address}. */
  public String message() {
    if (allowed()) {
      return "IP validation passed: " + address;
    }
    if (reason == Reason.UNRESOLVED) {
      return "IP validation failed: " + address + " could not be resolved";
    }
    return "IP validation failed: " + address + " " + refusalPhrase;
  }
}
