package io.mcptunnel.controlplane.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.util.UUID;

/**
 * The control plane's P-256 key for signing access tokens (ES256). A class, not a record, so no
 * generated {@code toString} can print the private part.
 */
public final class AccessTokenKey {
  private final ECKey key;

  private AccessTokenKey(ECKey key) {
    this.key = key;
  }

  /** A fresh key with a random kid. Persisting it (so restarts keep tokens valid) is the store's job. */
  public static AccessTokenKey generate() {
    try {
      return new AccessTokenKey(new ECKeyGenerator(Curve.P_256)
          .keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString()).generate());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a P-256 key", e);
    }
  }

  /** Wraps a stored key; it must be a private P-256 key with a kid. */
  public static AccessTokenKey of(ECKey key) {
    if (!Curve.P_256.equals(key.getCurve()) || !key.isPrivate() || key.getKeyID() == null) {
      throw new IllegalArgumentException("access token key: expected a private P-256 key with a kid");
    }
    return new AccessTokenKey(key);
  }

  public String keyId() {
    return key.getKeyID();
  }

  ECKey privateKey() {
    return key;
  }

  public ECKey publicKey() {
    return key.toPublicJWK();
  }

  @Override
  public String toString() {
    return "AccessTokenKey[kid=" + key.getKeyID() + "]";
  }
}
