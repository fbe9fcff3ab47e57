/**
 * SSRF defence for proxy-to-upstream connections. {@link io.mcptunnel.egress.AddressClassifier} is the
 * one pure decision (address, policy) to verdict; {@link io.mcptunnel.egress.EgressGuard} resolves a
 * host once through a {@link io.mcptunnel.egress.HostResolver} and returns only addresses that passed,
 * so the caller connects to exactly what was checked and DNS rebinding cannot swap it.
 */
package io.mcptunnel.egress;
