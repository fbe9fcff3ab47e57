package io.mcptunnel.ops.audit;

import java.util.Objects;

/**
 * One weakness found. Evidence states facts (a mode, a status code, a header value, days left),
 * never a secret's contents.
 *
 * @param check stable kebab-case id, e.g. {@code oauth-not-required}; docs/audit.md lists them
 * @param subject what the finding is about: a route, a file, a service, an organization
 */
public record Finding(String check, Severity severity, String subject, String evidence, String fix) {
  public Finding {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(fix, "fix");
  }
}
