package io.mcptunnel.controlplane.federation;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link FederationDirectory} held in memory, for tests and the store-less single process. */
public final class InMemoryFederationDirectory implements FederationDirectory {
  private final Map<String, FederationRule> rules = new ConcurrentHashMap<>();
  private final Map<String, FederationIssuer> issuers = new ConcurrentHashMap<>();

  public InMemoryFederationDirectory put(FederationIssuer issuer) {
    issuers.put(issuer.id(), issuer);
    return this;
  }

  public InMemoryFederationDirectory put(FederationRule rule) {
    rules.put(rule.id(), rule);
    return this;
  }

  @Override
  public Optional<FederationRule> rule(String ruleId) {
    return Optional.ofNullable(rules.get(ruleId));
  }

  @Override
  public Optional<FederationIssuer> issuer(String issuerId) {
    return Optional.ofNullable(issuers.get(issuerId));
  }
}
