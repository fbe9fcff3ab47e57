package io.mcptunnel.controlplane.admin;

import java.util.Objects;

/**
 * A server operator: may create and list organizations, which no organization's admin can.
 * {@code principal} and {@code sourceAddress} go to the audit log.
 */
public record Operator(String principal, String sourceAddress) {
  public Operator {
    Objects.requireNonNull(principal, "principal");
  }
}
