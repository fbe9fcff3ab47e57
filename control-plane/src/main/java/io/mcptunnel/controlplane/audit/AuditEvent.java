package io.mcptunnel.controlplane.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One audited action: who ({@code actor}), when, from where, what ({@code action} on
 * {@code target}), why ({@code reason}, as the actor gave it) and how it ended. Never a secret:
 * callers pass ids, not token values or keys. {@code id} is 0 until stored.
 */
public record AuditEvent(
    long id,
    String organizationId,
    Instant occurredAt,
    String actor,
    String sourceAddress,
    String action,
    String target,
    String reason,
    String outcome) {

  public static final String SUCCESS = "success";

  public AuditEvent {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
  }
}
