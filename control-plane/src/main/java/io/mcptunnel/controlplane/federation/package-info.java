/**
 * Workload Identity Federation (SPEC §4.2): a workload trades a JWT issued by its own identity
 * provider for a short-lived control-plane access token (RFC 7523 {@code jwt-bearer}).
 *
 * <p>{@link io.mcptunnel.controlplane.federation.TokenExchange} runs the checks in a fixed order;
 * each security decision lives in one small pure class ({@code RequestShape},
 * {@code AllowedAlgorithms}, {@code AssertionTimes}, {@code RuleMatch}, {@code MintedLifetime},
 * {@code IssuerUrlPolicy}) so it can be table-tested. Every rejection carries a precise
 * {@link io.mcptunnel.controlplane.federation.FailureCause} for the authentication history, while
 * the caller only ever sees a 400 for a malformed request or the uniform 401
 * {@code Authentication failed}. No HTTP layer and no database here: rules and issuers come through
 * {@link io.mcptunnel.controlplane.federation.FederationDirectory}.
 */
package io.mcptunnel.controlplane.federation;
