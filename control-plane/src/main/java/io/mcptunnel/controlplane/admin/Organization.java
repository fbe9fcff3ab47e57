package io.mcptunnel.controlplane.admin;

import java.time.Instant;

/** An organization; {@code maxActiveTunnels} null means the server's default limit. */
public record Organization(String id, String displayName, Integer maxActiveTunnels, Instant createdAt) {}
