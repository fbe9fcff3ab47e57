package io.mcptunnel.pki;

/**
 * An encrypted private key could not be opened: no passphrase was given, or the one given is
 * wrong. The message never contains the passphrase; callers that know how a passphrase is given
 * (command-line options, environment) say so with {@link #source()}.
 */
public final class KeyPassphraseException extends PkiException {
  private final String source;
  private final boolean missing;

  private KeyPassphraseException(String message, String source, boolean missing, Throwable cause) {
    super(message, cause);
    this.source = source;
    this.missing = missing;
  }

  /** No passphrase was given for the encrypted key {@code source}. */
  public static KeyPassphraseException missing(String source) {
    return new KeyPassphraseException(source + " is encrypted and no passphrase was given",
        source, true, null);
  }

  static KeyPassphraseException wrong(String source, Throwable cause) {
    return new KeyPassphraseException("wrong passphrase for " + source, source, false, cause);
  }

  /** What was being read, e.g. {@code /data/ca.key}. */
  public String source() {
    return source;
  }

  /** True: no passphrase was given; false: the one given does not open the key. */
  public boolean missing() {
    return missing;
  }
}
