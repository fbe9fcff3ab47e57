package io.mcptunnel.controlplane.admin;

/**
 * A federation issuer as an admin submits it, not yet validated. {@code jwksSource} is
 * {@code discovery}, {@code explicit_url} (with {@code jwksUrl}) or {@code inline} (with
 * {@code jwksJson}).
 */
public record IssuerInput(String issuerUrl, String jwksSource, String jwksUrl, String jwksJson) {}
