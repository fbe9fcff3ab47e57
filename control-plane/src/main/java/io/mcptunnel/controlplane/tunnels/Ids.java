package io.mcptunnel.controlplane.tunnels;

import java.security.SecureRandom;

/** Random identifiers with the API's type prefixes ({@code tnl_}, {@code tcrt_}) and domain labels. */
final class Ids {
  static final String TUNNEL = "tnl_";
  static final String CERTIFICATE = "tcrt_";
  static final String TOKEN = "ttok_";

  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String LOWER_ALNUM = "0123456789abcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  static String newId(String prefix) {
    return prefix + random(BASE62, 24);
  }

  /** Eight lowercase alphanumerics: the first label of a tunnel domain. */
  static String domainLabel() {
    return random(LOWER_ALNUM, 8);
  }

  private static String random(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
