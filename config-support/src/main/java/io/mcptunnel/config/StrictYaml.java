package io.mcptunnel.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mcptunnel.common.GoDuration;
import io.mcptunnel.common.HostPort;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads configuration YAML as a tree and checks it field by field, so every refusal names the field
 * and what is expected, and unknown fields are refused rather than ignored (a typo must never
 * silently weaken security). Messages follow the wording of the compatible Go proxy. Each caller
 * supplies the exception type its module throws.
 */
public final class StrictYaml {
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private final Function<String, ? extends RuntimeException> error;

  public StrictYaml(Function<String, ? extends RuntimeException> error) {
    this.error = error;
  }

  /** Reads a file, with Go's wording for the usual failures. */
  public String readFile(Path file) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw error.apply("open " + file + ": no such file or directory");
    } catch (AccessDeniedException e) {
      throw error.apply("open " + file + ": permission denied");
    } catch (IOException e) {
      throw error.apply("read " + file + ": " + e.getMessage());
    }
  }

  /** Parses the document; it must be a non-empty map. {@code expected} says what an empty one lacks. */
  public JsonNode readMap(String yaml, String source, String expected) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw error.apply(source + ": invalid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw error.apply(source + ": empty configuration (expected " + expected + ")");
    }
    if (!root.isObject()) {
      throw error.apply(source + ": the configuration must be a map of fields");
    }
    return root;
  }

  public void checkKnown(JsonNode node, String prefix, Set<String> known) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String name = field.getKey();
      if (!known.contains(name)) {
        throw error.apply("unknown field \"" + prefix + name + "\" (known fields"
            + (prefix.isEmpty() ? "" : " of " + prefix.substring(0, prefix.length() - 1)) + ": "
            + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  /** A nested map at {@code path} (e.g. {@code upstream.tls}), empty when absent, its fields checked. */
  public JsonNode section(JsonNode parent, String path, Set<String> known) {
    String name = path.substring(path.lastIndexOf('.') + 1);
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return YAML.createObjectNode();
    }
    if (!node.isObject()) {
      throw error.apply(path + ": cannot unmarshal " + tag(node) + " into a map of fields");
    }
    checkKnown(node, path + ".", known);
    return node;
  }

  public String required(JsonNode node, String name, String path) {
    String value = text(node, name, path);
    if (value == null || value.isBlank()) {
      throw error.apply(path + " is required");
    }
    return value;
  }

  /** A scalar as text, or null when absent. */
  public String text(JsonNode node, String name, String path) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode() || v.isBinary()) {
      throw error.apply(path + ": cannot unmarshal " + tag(v) + " into string");
    }
    return v.asText();
  }

  /** A boolean, false when absent; {@code "true"}/{@code "false"} strings are accepted too. */
  public boolean bool(JsonNode node, String name, String path) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    String t = v.asText().toLowerCase(Locale.ROOT);
    if (v.isTextual() && (t.equals("true") || t.equals("false"))) {
      return Boolean.parseBoolean(t);
    }
    throw error.apply(path + ": \"" + v.asText() + "\" is not a boolean (expected: true or false)");
  }

  public HostPort hostPort(String value, String path) {
    try {
      return HostPort.parse(value);
    } catch (IllegalArgumentException e) {
      throw error.apply(path + ": " + e.getMessage());
    }
  }

  /** A Go-style duration ({@code 30s}, {@code 2m}), {@code dflt} when absent. */
  public Duration duration(JsonNode node, String name, String path, Duration dflt) {
    String v = text(node, name, path);
    if (v == null) {
      return dflt;
    }
    try {
      return GoDuration.parse(v);
    } catch (IllegalArgumentException e) {
      throw error.apply(path + ": " + e.getMessage());
    }
  }

  /** One of an enum's constants, case-insensitive, {@code dflt} when absent. */
  public <E extends Enum<E>> E choice(JsonNode node, String name, Class<E> type, E dflt) {
    String v = text(node, name, name);
    if (v == null) {
      return dflt;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v.trim())) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw error.apply(name + ": \"" + v + "\" is not valid (expected one of: " + String.join(", ", allowed) + ")");
  }

  /** The YAML tag Go's decoder names in its messages ({@code !!seq}, {@code !!map}, …). */
  public static String tag(JsonNode node) {
    JsonNodeType t = node.getNodeType();
    return switch (t) {
      case ARRAY -> "!!seq";
      case OBJECT -> "!!map";
      case BOOLEAN -> "!!bool";
      case NUMBER -> node.isIntegralNumber() ? "!!int" : "!!float";
      case NULL -> "!!null";
      default -> "!!str";
    };
  }
}
