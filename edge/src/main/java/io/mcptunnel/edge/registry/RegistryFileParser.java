package io.mcptunnel.edge.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mcptunnel.pki.PemFiles;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the tunnel registry file. Walked as a tree (not bound to classes) so every refusal names
 * {@code tunnels[i].field}, and unknown fields are refused: a misspelt {@code archived} must not
 * leave a tunnel live.
 */
final class RegistryFileParser {
  private static final Set<String> FIELDS = new TreeSet<>(Set.of("id", "domain", "organization",
      "token_id", "token_sha256", "retired_token_ids", "severed_token_ids", "archived", "ca_certificates"));
  /** The id syntax of {@code TunnelToken}: tunnel and token ids travel inside the token. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern DOMAIN =
      Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");
  /** SPEC §4.1: at most two non-archived CA certificates per tunnel (rotation overlap). */
  private static final int MAX_CAS = 2;

  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private RegistryFileParser() {}

  /** The tunnels of {@code text} in file order; {@code source} names the text in syntax errors. */
  static List<TunnelState> parse(String text, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new RegistryException(source + ": invalid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    // An empty file is refused rather than read as "no tunnels": a half-written file would
    // otherwise archive every tunnel and sever all connections. "tunnels: []" says it on purpose.
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new RegistryException(source + ": empty registry (expected \"tunnels:\", a list; "
          + "write \"tunnels: []\" for none)");
    }
    if (!root.isObject()) {
      throw new RegistryException(source + ": expected a map with a \"tunnels\" list");
    }
    root.fieldNames().forEachRemaining(name -> {
      if (!name.equals("tunnels")) {
        throw new RegistryException("unknown field \"" + name + "\" (known fields: tunnels)");
      }
    });
    JsonNode list = root.get("tunnels");
    if (list == null || list.isNull() || !list.isArray()) {
      throw new RegistryException("tunnels: expected a list of tunnels");
    }
    List<TunnelState> tunnels = new ArrayList<>();
    Map<String, Integer> ids = new HashMap<>();
    Map<String, Integer> domains = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      TunnelState t = tunnel(list.get(i), "tunnels[" + i + "]");
      unique(ids, t.id(), i, "id");
      unique(domains, t.domain(), i, "domain");
      tunnels.add(t);
    }
    return List.copyOf(tunnels);
  }

  private static TunnelState tunnel(JsonNode node, String at) {
    if (!node.isObject()) {
      throw new RegistryException(at + ": expected a map of fields");
    }
    node.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        throw new RegistryException(at + ": unknown field \"" + name + "\" (known fields: "
            + String.join(", ", FIELDS) + ")");
      }
    });
    String id = matching(node, at, "id", ID, "expected 1-64 characters of [A-Za-z0-9_-]");
    String domain = domain(required(node, at, "domain"), at + ".domain");
    String organization = required(node, at, "organization");
    if (organization.isBlank()) {
      throw new RegistryException(at + ".organization: must not be blank");
    }
    String tokenId = matching(node, at, "token_id", ID, "expected 1-64 characters of [A-Za-z0-9_-]");
    String hash = matching(node, at, "token_sha256", SHA256_HEX, "expected 64 lowercase hex characters");
    Set<String> retired = retired(node.get("retired_token_ids"), at + ".retired_token_ids", tokenId);
    Set<String> severed = retired(node.get("severed_token_ids"), at + ".severed_token_ids", tokenId);
    severed.stream().filter(t -> !retired.contains(t)).findFirst().ifPresent(t -> {
      throw new RegistryException(at + ".severed_token_ids: \"" + t + "\" is not in retired_token_ids");
    });
    boolean archived = bool(node.get("archived"), at + ".archived");
    List<X509Certificate> cas = cas(node.get("ca_certificates"), at + ".ca_certificates");
    return new TunnelState(id, domain, organization, tokenId, hash, retired, severed, cas, archived);
  }

  private static String required(JsonNode node, String at, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new RegistryException(at + "." + field + ": required");
    }
    if (!v.isTextual()) {
      throw new RegistryException(at + "." + field + ": expected a string");
    }
    return v.asText();
  }

  private static String matching(JsonNode node, String at, String field, Pattern p, String expected) {
    String v = required(node, at, field);
    if (!p.matcher(v).matches()) {
      throw new RegistryException(at + "." + field + ": " + expected);
    }
    return v;
  }

  private static String domain(String value, String at) {
    String d = value.toLowerCase(Locale.ROOT);
    if (d.length() > 253 || !DOMAIN.matcher(d).matches()) {
      throw new RegistryException(at + ": \"" + value + "\" is not a valid domain name");
    }
    return d;
  }

  private static Set<String> retired(JsonNode v, String at, String currentTokenId) {
    if (v == null || v.isNull()) {
      return Set.of();
    }
    if (!v.isArray()) {
      throw new RegistryException(at + ": expected a list of token ids");
    }
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode item : v) {
      if (!item.isTextual() || !ID.matcher(item.asText()).matches()) {
        throw new RegistryException(at + ": expected token ids of 1-64 characters of [A-Za-z0-9_-]");
      }
      ids.add(item.asText());
    }
    // A current token listed as retired would lock the tunnel's own connector out.
    if (ids.contains(currentTokenId)) {
      throw new RegistryException(at + ": contains the current token_id \"" + currentTokenId + "\"");
    }
    return ids;
  }

  private static boolean bool(JsonNode v, String at) {
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new RegistryException(at + ": expected true or false");
    }
    return v.booleanValue();
  }

  private static List<X509Certificate> cas(JsonNode v, String at) {
    if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
      return List.of();
    }
    if (!v.isTextual()) {
      throw new RegistryException(at + ": expected PEM text");
    }
    // The CA's key belongs with whoever signs proxy certificates, never on the edge.
    if (v.asText().contains("PRIVATE KEY")) {
      throw new RegistryException(at + ": contains private-key material; list certificates only");
    }
    List<X509Certificate> certs;
    try {
      certs = PemFiles.parseCertificates(v.asText(), at);
    } catch (RuntimeException e) {
      throw new RegistryException(e.getMessage(), e);
    }
    if (certs.size() > MAX_CAS) {
      throw new RegistryException(at + ": at most " + MAX_CAS + " active CA certificates, found " + certs.size());
    }
    for (X509Certificate c : certs) {
      if (c.getBasicConstraints() < 0) {
        throw new RegistryException(at + ": \"" + c.getSubjectX500Principal().getName()
            + "\" is not a CA certificate");
      }
    }
    return certs;
  }

  private static void unique(Map<String, Integer> seen, String value, int index, String field) {
    Integer first = seen.putIfAbsent(value, index);
    if (first != null) {
      throw new RegistryException("tunnels[" + index + "]." + field + ": duplicate " + field
          + " \"" + value + "\" (also tunnels[" + first + "])");
    }
  }
}
