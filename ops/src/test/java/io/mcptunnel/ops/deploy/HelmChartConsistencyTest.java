package io.mcptunnel.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Helm is not available where the tests run, so the chart is checked for the mistakes a render
 * would reveal: a template reading a value that values.yaml does not define (it would render
 * empty, e.g. an egress rule to nowhere) and an include of a template that is never defined.
 */
class HelmChartConsistencyTest {
  static final Path CHART = Path.of(System.getProperty("user.dir")).resolve("../deploy/helm/mcp-tunnel");
  static final Pattern VALUE_REF = Pattern.compile("\\.Values((?:\\.[A-Za-z0-9_]+)+)");
  static final Pattern INCLUDE = Pattern.compile("include \"([^\"]+)\"");
  static final Pattern DEFINE = Pattern.compile("define \"([^\"]+)\"");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void everyValueATemplateReadsIsDefinedInValuesYaml() throws IOException {
    JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
    List<String> missing = new ArrayList<>();
    for (Path template : templates()) {
      Matcher m = VALUE_REF.matcher(Files.readString(template));
      while (m.find()) {
        JsonNode node = values;
        for (String part : m.group(1).substring(1).split("\\.")) {
          node = node == null ? null : node.get(part);
        }
        if (node == null) {
          missing.add(template.getFileName() + ": .Values" + m.group(1));
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void everyIncludedTemplateIsDefined() throws IOException {
    Set<String> defined = new TreeSet<>();
    Set<String> included = new TreeSet<>();
    for (Path template : templates()) {
      String text = Files.readString(template);
      DEFINE.matcher(text).results().forEach(r -> defined.add(r.group(1)));
      INCLUDE.matcher(text).results().forEach(r -> included.add(r.group(1)));
    }
    assertThat(defined).containsAll(included);
  }

  @Test
  void imagesArePinnedByDigestOnly() throws IOException {
    JsonNode image = YAML.readTree(CHART.resolve("values.yaml").toFile()).get("image");
    assertThat(image.has("tag")).as("a tag field would let a floating tag be deployed").isFalse();
    assertThat(image.get("digest").asText()).as("no made-up default digest").isEmpty();
    assertThat(Files.readString(CHART.resolve("templates/_helpers.tpl")))
        .contains("required \"image.digest is required")
        .contains("regexMatch \"^sha256:[0-9a-f]{64}$\"");
    for (Path template : templates()) {
      for (String line : Files.readAllLines(template)) {
        if (line.strip().startsWith("image:")) {
          assertThat(line).as(template.getFileName().toString()).contains("include \"mcp-tunnel.image\"");
        }
      }
    }
  }

  private static List<Path> templates() throws IOException {
    try (Stream<Path> files = Files.list(CHART.resolve("templates"))) {
      return files.sorted().toList();
    }
  }
}
