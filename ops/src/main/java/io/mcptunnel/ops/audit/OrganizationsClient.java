package io.mcptunnel.ops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /v1/admin/organizations} with the operator's admin token, following {@code next_page}. */
final class OrganizationsClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_PAGES = 1000;

  /** The listing failed; the message names the URL and status, never the token. */
  static final class ListingException extends Exception {
    ListingException(String message) {
      super(message);
    }
  }

  private OrganizationsClient() {}

  static List<JsonNode> list(URI controlPlane, String adminToken, Duration timeout) throws ListingException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
    String base = controlPlane.toString().replaceAll("/+$", "") + "/v1/admin/organizations";
    List<JsonNode> out = new ArrayList<>();
    String page = null;
    for (int i = 0; i < MAX_PAGES; i++) {
      String url = page == null ? base : base + "?page=" + URLEncoder.encode(page, StandardCharsets.UTF_8);
      HttpResponse<byte[]> r;
      try {
        r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
            .header("Authorization", "Bearer " + adminToken)
            .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw new ListingException("GET " + url + ": " + OAuthProbe.reason(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ListingException("GET " + url + ": interrupted");
      }
      if (r.statusCode() != 200) {
        throw new ListingException("GET " + url + " answered " + r.statusCode());
      }
      JsonNode doc;
      try {
        doc = JSON.readTree(r.body());
      } catch (IOException e) {
        throw new ListingException("GET " + url + ": not JSON");
      }
      if (doc == null || !doc.path("data").isArray()) {
        throw new ListingException("GET " + url + ": no \"data\" list");
      }
      doc.path("data").forEach(out::add);
      JsonNode next = doc.path("next_page");
      if (!next.isTextual() || next.asText().isEmpty()) {
        return out;
      }
      page = next.asText();
    }
    throw new ListingException("GET " + base + ": more than " + MAX_PAGES + " pages");
  }
}
