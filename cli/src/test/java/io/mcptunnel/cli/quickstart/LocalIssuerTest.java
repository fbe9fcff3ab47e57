package io.mcptunnel.cli.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalIssuerTest {
  @TempDir Path dir;

  @Test
  void signsAShortLivedEs256TokenVerifiableWithThePublishedPublicKeyOnlyAndKeepsItsKey() throws Exception {
    Path keyFile = dir.resolve("issuer-key.jwk");
    LocalIssuer issuer = LocalIssuer.loadOrCreate(keyFile);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");

    JWKSet published = JWKSet.parse(issuer.publicJwks());
    assertThat(published.getKeys()).hasSize(1).noneMatch(k -> k.isPrivate());
    SignedJWT jwt = SignedJWT.parse(issuer.identityToken(Clock.systemUTC()));
    assertThat(jwt.verify(new ECDSAVerifier((ECKey) published.getKeys().get(0)))).isTrue();
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(LocalIssuer.ISSUER);
    assertThat(claims.getSubject()).isEqualTo(LocalIssuer.SUBJECT);
    assertThat(claims.getAudience()).containsExactly(LocalIssuer.AUDIENCE);
    assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
        .isLessThanOrEqualTo(Duration.ofMinutes(5));

    // A second run signs with the key the control plane already holds.
    assertThat(LocalIssuer.loadOrCreate(keyFile).publicJwks()).isEqualTo(issuer.publicJwks());
  }
}
