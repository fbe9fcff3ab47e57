package io.mcptunnel.controlplane.federation;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Audience, subject and claims of a verified JWT against a rule's {@code match}, in that order. */
final class RuleMatch {
  private RuleMatch() {}

  static Optional<Rejection> check(FederationRule.Match match, List<String> aud, String sub,
      Map<String, Object> claims) {
    if (aud == null || !aud.contains(match.audience())) {
      return Optional.of(Rejection.of(FailureCause.AUDIENCE_MISMATCH,
          "aud " + Details.quote(aud) + " does not contain " + Details.quote(match.audience())));
    }
    if (match.subjectPrefix() != null && !subjectMatches(match.subjectPrefix(), sub)) {
      return Optional.of(Rejection.of(FailureCause.SUBJECT_MISMATCH,
          "sub " + Details.quote(sub) + " does not match " + Details.quote(match.subjectPrefix())));
    }
    for (Map.Entry<String, String> want : match.claims().entrySet()) {
      Object got = claims.get(want.getKey());
      // Exact string equality only: a number, list or object never equals a configured string.
      if (!(got instanceof String s) || !s.equals(want.getValue())) {
        return Optional.of(Rejection.of(FailureCause.CLAIMS_MISMATCH, "claim " + Details.quote(want.getKey())
            + " is " + Details.quote(got) + ", expected " + Details.quote(want.getValue())));
      }
    }
    return Optional.empty();
  }

  /** Exact match, or prefix match when the pattern ends with {@code *} (the only wildcard). */
  static boolean subjectMatches(String pattern, String sub) {
    if (sub == null) {
      return false;
    }
    if (pattern.endsWith("*")) {
      return sub.startsWith(pattern.substring(0, pattern.length() - 1));
    }
    return sub.equals(pattern);
  }
}
