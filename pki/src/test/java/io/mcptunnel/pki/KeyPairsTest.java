package io.mcptunnel.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;

class KeyPairsTest {

  @Test
  void ecP256IsOnA256BitCurve() {
    KeyPair keys = KeyPairs.ecP256();

    assertThat(keys.getPublic()).isInstanceOf(ECPublicKey.class);
    assertThat(((ECPublicKey) keys.getPublic()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(256);
    assertThat(keys.getPrivate().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void rsaHasTheRequestedModulusSize() {
    assertThat(((RSAPublicKey) TestPki.RSA_2048.getPublic()).getModulus().bitLength())
        .isEqualTo(2048);
    assertThat(((RSAPublicKey) TestPki.RSA_1024.getPublic()).getModulus().bitLength())
        .isEqualTo(1024);
  }

  @Test
  void rsaRefusesAnImpossibleSize() {
    assertThatThrownBy(() -> KeyPairs.rsa(256))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("cannot generate RSA-256 key pair");
  }
}
