/**
 * Enforcement of the {@code policies:} map (SPEC §2.3): each decision in a small pure class, applied
 * in the session pipeline by {@link io.mcptunnel.proxy.policy.PolicyHandler}.
 */
package io.mcptunnel.proxy.policy;
