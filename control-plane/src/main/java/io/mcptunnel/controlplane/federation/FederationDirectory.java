package io.mcptunnel.controlplane.federation;

import java.util.Optional;

/** Read access to configured rules and issuers; the store provides the persistent implementation. */
public interface FederationDirectory {
  Optional<FederationRule> rule(String ruleId);

  Optional<FederationIssuer> issuer(String issuerId);
}
