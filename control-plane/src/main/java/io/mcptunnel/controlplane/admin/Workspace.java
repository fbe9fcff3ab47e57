package io.mcptunnel.controlplane.admin;

import java.time.Instant;

public record Workspace(String id, String organizationId, String displayName, Instant createdAt) {}
