package io.mcptunnel.ops.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The last step: {@code report.json} / {@code report.txt} (every earlier step, the window, the
 * downstream rotation list) and {@code MANIFEST.sha256} over every file of the bundle, in the
 * format {@code sha256sum -c} checks when run inside the folder.
 */
public final class SealBundle implements Step {
  public static final String MANIFEST = "MANIFEST.sha256";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What the report says besides the steps. */
  public record Facts(String command, String tunnelId, String output, TimeWindow window, List<DownstreamRotation.Item> rotation) {}

  private final EvidenceBundle bundle;
  private final Facts facts;
  private final Supplier<List<StepRunner.Outcome>> outcomes;

  public SealBundle(EvidenceBundle bundle, Facts facts, Supplier<List<StepRunner.Outcome>> outcomes) {
    this.bundle = bundle;
    this.facts = facts;
    this.outcomes = outcomes;
  }

  @Override
  public String name() {
    return "write report and manifest";
  }

  @Override
  public Result run() throws IOException {
    List<StepRunner.Outcome> steps = outcomes.get();
    bundle.write("report.json", json(steps));
    bundle.write("report.txt", text(steps));
    Path dir = bundle.directory();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).map(dir::relativize)
          .filter(p -> !p.toString().equals(MANIFEST)).sorted().toList();
    }
    StringBuilder manifest = new StringBuilder();
    for (Path f : files) {
      manifest.append(sha256(dir.resolve(f))).append("  ").append(f.toString().replace('\\', '/')).append('\n');
    }
    bundle.write(MANIFEST, manifest.toString());
    return Result.done(dir + " (" + files.size() + " files + " + MANIFEST + "; check with"
        + " `cd " + dir + " && sha256sum -c " + MANIFEST + "`)");
  }

  private String json(List<StepRunner.Outcome> steps) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("command", facts.command());
    root.put("tunnel_id", facts.tunnelId());
    root.put("output", facts.output());
    root.put("since", facts.window().since().toString());
    root.put("until", facts.window().until().toString());
    ArrayNode s = root.putArray("steps");
    for (StepRunner.Outcome o : steps) {
      s.addObject().put("step", o.index()).put("name", o.name())
          .put("status", o.status().name().toLowerCase(java.util.Locale.ROOT)).put("result", o.message());
    }
    ArrayNode r = root.putArray("downstream_rotation");
    for (DownstreamRotation.Item i : facts.rotation()) {
      r.addObject().put("route", i.route()).put("public_url", i.publicUrl()).put("upstream", i.upstream())
          .put("action", i.action());
    }
    return JSON.writeValueAsString(root) + "\n";
  }

  private String text(List<StepRunner.Outcome> steps) {
    StringBuilder t = new StringBuilder();
    t.append("mcptunnel ").append(facts.command()).append(" report\n");
    t.append("tunnel: ").append(facts.tunnelId()).append('\n');
    t.append("output: ").append(facts.output()).append('\n');
    t.append("window: ").append(facts.window().since()).append(" .. ").append(facts.window().until()).append("\n\n");
    t.append("steps:\n");
    steps.forEach(o -> t.append("  ").append(o.line(steps.size() + 1)).append('\n'));
    t.append("\ndownstream rotation:\n");
    if (facts.rotation().isEmpty()) {
      t.append("  (no --config given: list each MCP server behind the tunnel yourself)\n");
    }
    facts.rotation().forEach(i -> t.append("  ").append(i.line()).append('\n'));
    return t.toString();
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
