package io.mcptunnel.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValidationResultTest {

  @Test
  void okHasNoFailure() {
    assertThat(ValidationResult.ok().valid()).isTrue();
    assertThat(ValidationResult.ok().failure()).isNull();
    assertThat(ValidationResult.ok().certificate()).isEmpty();
    assertThat(ValidationResult.ok(TestPki.CA.certificate()).certificate())
        .contains(TestPki.CA.certificate());
  }

  @Test
  void failedNamesTheRule() {
    ValidationResult result = ValidationResult.failed("keyUsage must include keyCertSign");

    assertThat(result.valid()).isFalse();
    assertThat(result.failure()).isEqualTo("keyUsage must include keyCertSign");
    assertThat(result).hasToString("invalid: keyUsage must include keyCertSign");
  }

  @Test
  void refusesContradictions() {
    assertThatThrownBy(() -> new ValidationResult(true, "but broken"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ValidationResult(false, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
