package io.mcptunnel.controlplane.federation;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyType;
import java.util.Map;

/**
 * The assertion algorithms we accept and the one key type (and curve) each may be verified with.
 * Symmetric (HS*) and {@code none} are absent: an issuer's public JWKS must never double as a MAC
 * secret. Binding algorithm to key type here is what makes key-type confusion impossible.
 */
final class AllowedAlgorithms {
  record KeyRequirement(KeyType type, Curve curve) {}

  private static final KeyRequirement RSA = new KeyRequirement(KeyType.RSA, null);
  private static final Map<JWSAlgorithm, KeyRequirement> ALLOWED = Map.of(
      JWSAlgorithm.RS256, RSA,
      JWSAlgorithm.RS384, RSA,
      JWSAlgorithm.PS256, RSA,
      JWSAlgorithm.PS384, RSA,
      JWSAlgorithm.ES256, new KeyRequirement(KeyType.EC, Curve.P_256),
      JWSAlgorithm.ES384, new KeyRequirement(KeyType.EC, Curve.P_384));

  /** RSA keys below this size are refused even if the issuer publishes them. */
  static final int MIN_RSA_BITS = 2048;

  private AllowedAlgorithms() {}

  static boolean allowed(JWSAlgorithm alg) {
    return alg != null && ALLOWED.containsKey(alg);
  }

  /** The key an allowed algorithm must be verified with; only call after {@link #allowed}. */
  static KeyRequirement keyFor(JWSAlgorithm alg) {
    KeyRequirement k = ALLOWED.get(alg);
    if (k == null) {
      throw new IllegalArgumentException("not an allowed algorithm: " + alg);
    }
    return k;
  }
}
