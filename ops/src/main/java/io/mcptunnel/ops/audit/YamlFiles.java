package io.mcptunnel.ops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a Compose file or Helm values as Compose and Helm do: YAML 1.1 with anchors and merge keys
 * ({@code <<: *hardening}) applied. Without the merge, a service that takes its hardening from an
 * anchor would look unhardened, and one that overrides it would look hardened.
 */
final class YamlFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private YamlFiles() {}

  static JsonNode read(Path file) {
    // SafeConstructor: plain maps, lists and scalars only, never a Java type named by a tag.
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    try (Reader in = Files.newBufferedReader(file)) {
      Object tree = yaml.load(in);
      JsonNode node = tree == null ? null : JSON.valueToTree(tree);
      if (node == null || !node.isObject()) {
        throw new AuditInputException(file + ": not a YAML mapping");
      }
      return node;
    } catch (IOException | YAMLException | IllegalArgumentException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      throw new AuditInputException(file + ": " + m);
    }
  }
}
