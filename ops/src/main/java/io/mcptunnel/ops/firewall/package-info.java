/**
 * {@code mcptunnel firewall} (SPEC §6, "Limit network reach"): turns the proxy's configuration,
 * the edge addresses and the API URL into host firewall rules that let the Compose stack reach only
 * those, and drop and count everything else it sends. {@link FirewallPlanner} resolves names once
 * and decides what is allowed; {@link NftablesRuleset} only prints.
 */
package io.mcptunnel.ops.firewall;
