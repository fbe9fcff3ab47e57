package io.mcptunnel.sample.oauth;

/** Why a bearer token was refused; the description goes into {@code error_description} and the log. */
public enum TokenRejection {
  MALFORMED("the token is not a signed JWT"),
  ALGORITHM_NOT_ALLOWED("the token's signing algorithm is not accepted"),
  TYPE_NOT_ALLOWED("the token's type is not an access token"),
  UNKNOWN_KEY("no published key matches the token"),
  BAD_SIGNATURE("the token's signature does not verify"),
  WRONG_ISSUER("the token's issuer is not trusted here"),
  MISSING_EXPIRY("the token has no expiry"),
  EXPIRED("the token has expired"),
  NOT_YET_VALID("the token is not valid yet"),
  WRONG_AUDIENCE("the token was issued for another resource"),
  MISSING_SUBJECT("the token has no subject");

  private final String description;

  TokenRejection(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  /** The constant key used in logs, e.g. {@code wrong_audience}. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
