package io.mcptunnel.controlplane.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Picks the issuer key for a JWS header and verifies with it. Only keys of the type (and curve)
 * {@link AllowedAlgorithms} binds to the header's algorithm are candidates, and the verifier is
 * built from that typed key, so an RSA public key can never be used as an HMAC secret or the like.
 * Keys embedded in the token ({@code jwk}, {@code jku}, {@code x5u}) are never looked at.
 */
final class AssertionSignature {
  private AssertionSignature() {}

  /** Keys of the issuer that may verify a token with this header (by kid when the header has one). */
  static List<JWK> candidates(JWKSet keys, JWSHeader header) {
    JWSAlgorithm alg = header.getAlgorithm();
    AllowedAlgorithms.KeyRequirement need = AllowedAlgorithms.keyFor(alg);
    return keys.getKeys().stream()
        .filter(k -> header.getKeyID() == null || header.getKeyID().equals(k.getKeyID()))
        .filter(k -> need.type().equals(k.getKeyType()))
        .filter(k -> need.curve() == null || (k instanceof ECKey ec && need.curve().equals(ec.getCurve())))
        .filter(k -> k.getKeyUse() == null || KeyUse.SIGNATURE.equals(k.getKeyUse()))
        .filter(k -> k.getAlgorithm() == null || Objects.equals(k.getAlgorithm().getName(), alg.getName()))
        .toList();
  }

  /** Empty when the signature verifies with one of the candidates (already filtered by header). */
  static Optional<Rejection> verify(SignedJWT jwt, List<JWK> candidates) {
    String kid = Details.quote(jwt.getHeader().getKeyID());
    if (candidates.isEmpty()) {
      return Optional.of(Rejection.of(FailureCause.UNKNOWN_KEY,
          "no " + jwt.getHeader().getAlgorithm() + " key with kid " + kid + " in the issuer's JWKS"));
    }
    if (jwt.getHeader().getKeyID() == null && candidates.size() != 1) {
      // Without kid we would have to try several keys; we do not guess.
      return Optional.of(Rejection.of(FailureCause.UNKNOWN_KEY,
          "no kid in the header and " + candidates.size() + " candidate keys"));
    }
    JWK key = candidates.get(0);
    try {
      if (key instanceof RSAKey rsa && rsa.size() < AllowedAlgorithms.MIN_RSA_BITS) {
        return Optional.of(Rejection.of(FailureCause.UNKNOWN_KEY,
            "issuer key " + kid + " is RSA " + rsa.size() + " bits (minimum 2048)"));
      }
      JWSVerifier verifier = key instanceof RSAKey rsa ? new RSASSAVerifier(rsa)
          : new ECDSAVerifier((ECKey) key);
      if (!jwt.verify(verifier)) {
        return Optional.of(Rejection.of(FailureCause.BAD_SIGNATURE, "signature does not verify with key " + kid));
      }
      return Optional.empty();
    } catch (JOSEException e) {
      return Optional.of(Rejection.of(FailureCause.BAD_SIGNATURE,
          "signature cannot be verified with key " + kid + ": " + e.getClass().getSimpleName()));
    }
  }
}
