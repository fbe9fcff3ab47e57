package io.mcptunnel.pki;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The rules SPEC §4.1 applies to CA and server certificates alike: validity, key size, signature
 * strength. Each returns the failure message, or empty when the rule holds.
 */
final class CommonRules {
  static final int MIN_RSA_BITS = 2048;

  private static final Set<ASN1ObjectIdentifier> ALLOWED_CURVES =
      Set.of(
          SECObjectIdentifiers.secp256r1,
          SECObjectIdentifiers.secp384r1,
          SECObjectIdentifiers.secp521r1);

  private static final Set<ASN1ObjectIdentifier> STRONG_SIGNATURES =
      Set.of(
          PKCSObjectIdentifiers.sha256WithRSAEncryption,
          PKCSObjectIdentifiers.sha384WithRSAEncryption,
          PKCSObjectIdentifiers.sha512WithRSAEncryption,
          X9ObjectIdentifiers.ecdsa_with_SHA256,
          X9ObjectIdentifiers.ecdsa_with_SHA384,
          X9ObjectIdentifiers.ecdsa_with_SHA512);

  private static final Set<ASN1ObjectIdentifier> STRONG_DIGESTS =
      Set.of(
          NISTObjectIdentifiers.id_sha256,
          NISTObjectIdentifiers.id_sha384,
          NISTObjectIdentifiers.id_sha512);

  private CommonRules() {}

  static Optional<String> validity(X509Certificate certificate, Instant now) {
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (now.isBefore(notBefore)) {
      return Optional.of("certificate is not yet valid (notBefore " + notBefore + ")");
    }
    if (now.isAfter(notAfter)) {
      return Optional.of("certificate has expired (notAfter " + notAfter + ")");
    }
    return Optional.empty();
  }

  /** RSA of at least 2048 bits or ECDSA on P-256, P-384 or P-521; nothing else. */
  static Optional<String> keyStrength(X509Certificate certificate) {
    SubjectPublicKeyInfo key;
    try {
      // Read the key from the DER ourselves: the JDK cannot even decode some weak curves.
      key = TBSCertificate.getInstance(certificate.getTBSCertificate()).getSubjectPublicKeyInfo();
    } catch (CertificateEncodingException | RuntimeException e) {
      return Optional.of("public key cannot be read: " + e.getMessage());
    }
    ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
    if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)
        || algorithm.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
      return rsaKeyStrength(key);
    }
    if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      // Explicit curve parameters are refused too: only the named NIST curves are vetted.
      return ALLOWED_CURVES.contains(key.getAlgorithm().getParameters())
          ? Optional.empty()
          : Optional.of("key too weak: EC keys must use P-256 or stronger");
    }
    return Optional.of("key algorithm " + algorithm + " is not allowed (RSA or ECDSA required)");
  }

  private static Optional<String> rsaKeyStrength(SubjectPublicKeyInfo key) {
    int bits;
    try {
      bits = RSAPublicKey.getInstance(key.parsePublicKey()).getModulus().bitLength();
    } catch (IOException | RuntimeException e) {
      return Optional.of("public key cannot be read: " + e.getMessage());
    }
    return bits >= MIN_RSA_BITS
        ? Optional.empty()
        : Optional.of("key too weak: RSA keys must be at least " + MIN_RSA_BITS + " bits");
  }

  /** SHA-256 or stronger with RSA PKCS#1 v1.5, RSASSA-PSS or ECDSA. */
  static Optional<String> signatureStrength(X509Certificate certificate) {
    ASN1ObjectIdentifier algorithm = new ASN1ObjectIdentifier(certificate.getSigAlgOID());
    if (STRONG_SIGNATURES.contains(algorithm) || strongPss(algorithm, certificate)) {
      return Optional.empty();
    }
    return Optional.of(
        "signature algorithm "
            + certificate.getSigAlgName()
            + " is too weak (SHA-256 or stronger required)");
  }

  /** PSS names its digest in the parameters; absent parameters mean SHA-1 (RFC 4055). */
  private static boolean strongPss(ASN1ObjectIdentifier algorithm, X509Certificate certificate) {
    if (!algorithm.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
      return false;
    }
    byte[] params = certificate.getSigAlgParams();
    if (params == null) {
      return false;
    }
    try {
      RSASSAPSSparams pss = RSASSAPSSparams.getInstance(params);
      return STRONG_DIGESTS.contains(pss.getHashAlgorithm().getAlgorithm());
    } catch (RuntimeException e) {
      return false;
    }
  }
}
