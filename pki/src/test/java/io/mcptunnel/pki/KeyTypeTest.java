package io.mcptunnel.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyTypeTest {
  @ParameterizedTest
  @CsvSource({
    "ecdsa-p256, ECDSA_P256, 256",
    "ECDSA-P384, ECDSA_P384, 384",
    "rsa-2048, RSA_2048, 2048",
    "' rsa-3072 ', RSA_3072, 3072"
  })
  void parsesItsIdAndGeneratesThatKey(String text, KeyType expected, int bits) {
    KeyType type = KeyType.parse(text);

    assertThat(type).isEqualTo(expected);
    var key = type.generate().getPublic();
    int size =
        key instanceof RSAPublicKey rsa
            ? rsa.getModulus().bitLength()
            : ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
    assertThat(size).isEqualTo(bits);
    assertThat(type.isRsa()).isEqualTo(key instanceof RSAPublicKey);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "rsa", "rsa-1024", "ecdsa-p224", "ed25519"})
  void unknownNamesListTheAcceptedOnes(String text) {
    assertThatThrownBy(() -> KeyType.parse(text))
        .isInstanceOf(PkiException.class)
        .hasMessage(
            "key type: \""
                + text
                + "\" (expected: ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ecdsa-p256", "rsa-4096"})
  void toStringIsTheId(String id) {
    assertThat(KeyType.parse(id)).hasToString(id);
  }
}
