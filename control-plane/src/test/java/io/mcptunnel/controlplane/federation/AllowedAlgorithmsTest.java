package io.mcptunnel.controlplane.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllowedAlgorithmsTest {

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
      "RS256, true, RSA", "RS384, true, RSA", "PS256, true, RSA", "PS384, true, RSA",
      "ES256, true, EC/P-256", "ES384, true, EC/P-384",
      "RS512, false, ", "PS512, false, ", "ES512, false, ", "ES256K, false, ", "EdDSA, false, ",
      "HS256, false, ", "HS384, false, ", "HS512, false, ", "none, false, ",
  })
  void table(String alg, boolean allowed, String key) {
    JWSAlgorithm a = JWSAlgorithm.parse(alg);
    assertThat(AllowedAlgorithms.allowed(a)).isEqualTo(allowed);
    if (allowed) {
      var k = AllowedAlgorithms.keyFor(a);
      assertThat(k.type() + (k.curve() == null ? "" : "/" + k.curve())).isEqualTo(key);
    }
  }
}
