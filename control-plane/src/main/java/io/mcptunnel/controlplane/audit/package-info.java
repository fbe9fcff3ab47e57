/**
 * The audit log of SPEC §4.3: every change and every token reveal, with who, when, from where,
 * what and why; never a secret value. Readable by query and exportable as JSON lines.
 */
package io.mcptunnel.controlplane.audit;
