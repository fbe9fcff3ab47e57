package io.mcptunnel.ops.audit;

import java.util.List;
import java.util.Optional;

/**
 * What the audit saw of one route; informational, not a finding.
 *
 * @param probe one line: the status and WWW-Authenticate of the unauthenticated initialize, or why
 *     there was none
 * @param toolsExposed the tools the upstream lists, absent when they could not be listed
 * @param toolsNote why the tools were not listed, absent when they were
 * @param toolsAllowed {@code policies.<route>.allowed_tools}, absent when not set
 */
public record RouteInventory(
    String route,
    String upstream,
    String probe,
    Optional<List<String>> toolsExposed,
    Optional<String> toolsNote,
    Optional<List<String>> toolsAllowed) {}
