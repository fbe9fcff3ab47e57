package io.mcptunnel.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.stream.Stream;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EncryptedKeysTest {
  static Stream<KeyPair> keys() {
    return Stream.of(TestPki.EC_CA, TestPki.RSA_2048);
  }

  static KeyPassphrase passphrase(String text) {
    return KeyPassphrase.of(text.toCharArray(), "test");
  }

  @ParameterizedTest
  @MethodSource("keys")
  void encryptedPemRoundTrips(KeyPair keys) {
    String pem = PemFiles.toEncryptedPem(keys.getPrivate(), passphrase("correct horse"));

    try (PemReader reader = new PemReader(new StringReader(pem))) {
      assertThat(reader.readPemObject().getType()).isEqualTo("ENCRYPTED PRIVATE KEY");
      assertThat(reader.readPemObject()).as("one block only").isNull();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(PemFiles.isEncrypted(pem)).isTrue();
    PrivateKey back = PemFiles.parsePrivateKey(pem, "ca.key", passphrase("correct horse"));
    assertThat(back.getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
  }

  @Test
  void aWrongPassphraseIsOneLineWithoutThePassphrase() {
    String pem = PemFiles.toEncryptedPem(TestPki.EC_CA.getPrivate(), passphrase("correct horse"));

    assertThatThrownBy(() -> PemFiles.parsePrivateKey(pem, "/data/ca.key", passphrase("battery staple")))
        .isInstanceOfSatisfying(KeyPassphraseException.class, e -> assertThat(e.missing()).isFalse())
        .hasMessage("wrong passphrase for /data/ca.key");
  }

  @Test
  void aMissingPassphraseSaysTheKeyIsEncrypted() {
    String pem = PemFiles.toEncryptedPem(TestPki.EC_CA.getPrivate(), passphrase("correct horse"));

    assertThatThrownBy(() -> PemFiles.parsePrivateKey(pem, "/data/ca.key", null))
        .isInstanceOfSatisfying(KeyPassphraseException.class, e -> {
          assertThat(e.missing()).isTrue();
          assertThat(e.source()).isEqualTo("/data/ca.key");
        })
        .hasMessage("/data/ca.key is encrypted and no passphrase was given");
  }

  @Test
  void aPlaintextKeyIsReadWithOrWithoutAPassphrase() {
    String pem = PemFiles.toPem(TestPki.EC_CA.getPrivate());

    assertThat(PemFiles.isEncrypted(pem)).isFalse();
    assertThat(PemFiles.parsePrivateKey(pem, "ca.key", passphrase("x")).getEncoded())
        .isEqualTo(TestPki.EC_CA.getPrivate().getEncoded());
    assertThat(PemFiles.parsePrivateKey(pem, "ca.key", null).getEncoded())
        .isEqualTo(TestPki.EC_CA.getPrivate().getEncoded());
  }

  @Test
  void eachEncryptionUsesAFreshSaltAndIv() {
    KeyPassphrase passphrase = passphrase("correct horse");
    assertThat(PemFiles.toEncryptedPem(TestPki.EC_CA.getPrivate(), passphrase))
        .isNotEqualTo(PemFiles.toEncryptedPem(TestPki.EC_CA.getPrivate(), passphrase));
  }
}
