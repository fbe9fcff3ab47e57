package io.mcptunnel.controlplane.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryAuthenticationHistoryTest {

  @Test
  void keepsTheNewestPerOrganization_newestFirst() {
    InMemoryAuthenticationHistory history = new InMemoryAuthenticationHistory(3);
    for (int i = 0; i < 5; i++) {
      history.record(new AuthenticationRecord("org_a", Instant.ofEpochSecond(i), "fdrl_r", null, null,
          FailureCause.EXPIRED, "n" + i));
    }
    history.record(new AuthenticationRecord("org_b", Instant.EPOCH, null, null, null, null, "ok"));
    assertThat(history.recent("org_a", 10)).extracting(AuthenticationRecord::detail).containsExactly("n4", "n3", "n2");
    assertThat(history.recent("org_a", 1)).extracting(AuthenticationRecord::detail).containsExactly("n4");
    assertThat(history.recent("org_b", 10)).singleElement().satisfies(r -> assertThat(r.succeeded()).isTrue());
    assertThat(history.recent("org_c", 10)).isEmpty();
  }
}
