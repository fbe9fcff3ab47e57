package io.mcptunnel.controlplane.admin;

import java.util.Map;

/** A federation rule as an admin submits it, not yet validated; null lifetime means the default. */
public record RuleInput(String issuerId, String subjectPrefix, String audience, Map<String, String> claims,
    String serviceAccountId, String workspaceId, String scope, Integer tokenLifetimeSeconds) {}
