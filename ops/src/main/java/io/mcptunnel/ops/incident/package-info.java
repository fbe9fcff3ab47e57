/**
 * {@code mcptunnel incident} and {@code mcptunnel teardown} (SPEC §6): the breach runbook and the
 * decommissioning steps of the seed as {@link io.mcptunnel.ops.incident.Step}s run in order by a
 * {@link io.mcptunnel.ops.incident.StepRunner}, each reporting one line. Steps are idempotent: a
 * re-run reports "already archived", "not running", "not found (ignored)".
 */
package io.mcptunnel.ops.incident;
