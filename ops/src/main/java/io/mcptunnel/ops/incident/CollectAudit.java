package io.mcptunnel.ops.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcptunnel.ops.AdminUrls;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The control plane's audit log of the organization for the window, from the admin API
 * ({@code GET /v1/admin/organizations/{org}/audit/export}, JSON lines with {@code occurred_at}),
 * into {@code audit/audit-log.jsonl}. Without an admin URL and token the step is skipped and says
 * how to get the log.
 */
public final class CollectAudit implements Step {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String FILE = "audit/audit-log.jsonl";

  private final EvidenceBundle bundle;
  private final URI adminUrl;
  private final Path tokenFile;
  private final String organizationId;
  private final TimeWindow window;

  public CollectAudit(EvidenceBundle bundle, URI adminUrl, Path tokenFile, String organizationId, TimeWindow window) {
    this.bundle = bundle;
    this.adminUrl = adminUrl;
    this.tokenFile = tokenFile;
    this.organizationId = organizationId;
    this.window = window;
  }

  @Override
  public String name() {
    return "collect control-plane audit log";
  }

  @Override
  public Result run() throws IOException, InterruptedException {
    if (adminUrl == null || tokenFile == null) {
      return Result.skipped("pass --admin-url and --admin-token-file (the control plane's <data_dir>/admin.token),"
          + " or ask the control plane's operator for `mcptunnel admin audit export --org "
          + (organizationId == null ? "ORG" : organizationId) + "`");
    }
    if (organizationId == null) {
      return Result.failed("ANTHROPIC_ORGANIZATION_ID is not set: the audit log is per organization");
    }
    String refusal = AdminUrls.refusal(adminUrl, "--admin-url");
    if (refusal != null) {
      return Result.failed(refusal);
    }
    String token = Files.readString(tokenFile).trim();
    String path = "/v1/admin/organizations/" + URLEncoder.encode(organizationId, StandardCharsets.UTF_8)
        + "/audit/export";
    HttpRequest request = HttpRequest.newBuilder(URI.create(adminUrl.toString().replaceAll("/+$", "") + path))
        .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token).GET().build();
    HttpResponse<String> response;
    try {
      response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
          .send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return Result.failed("cannot reach the control plane at " + adminUrl + ": " + e.getMessage());
    }
    if (response.statusCode() != 200) {
      return Result.failed("GET " + path + " answered " + response.statusCode());
    }
    Redactor redactor = new Redactor();
    long total = 0;
    long kept = 0;
    try (Writer out = bundle.newFile(FILE)) {
      for (String line : (Iterable<String>) response.body().lines()::iterator) {
        if (line.isBlank()) {
          continue;
        }
        total++;
        if (inWindow(line)) {
          kept++;
          out.write(redactor.redact(line));
          out.write('\n');
        }
      }
    }
    return Result.done(FILE + ": " + kept + " of " + total + " events in the window");
  }

  private boolean inWindow(String line) {
    try {
      JsonNode event = JSON.readTree(line);
      return window.contains(Instant.parse(event.path("occurred_at").asText()));
    } catch (Exception unreadable) {
      return true; // keep what cannot be placed: an audit line is evidence
    }
  }
}
