package io.mcptunnel.ops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Console SSO: every organization should require it. A missing {@code sso_required} counts as false. */
final class SsoCheck {
  static final String ID = "sso-not-required";
  static final String NOT_CHECKED = "sso-not-checked";

  private SsoCheck() {}

  static List<Finding> findings(List<JsonNode> organizations) {
    List<Finding> out = new ArrayList<>();
    for (JsonNode org : organizations) {
      if (!org.path("sso_required").asBoolean(false)) {
        String id = org.path("id").asText("?");
        String name = org.path("display_name").asText("");
        out.add(new Finding(ID, Severity.MEDIUM, "organization " + id + (name.isEmpty() ? "" : " (" + name + ")"),
            "sso_required is " + (org.has("sso_required") ? org.get("sso_required").asText() : "not set")
                + ": members may sign in to the console without the organization's SSO",
            "mcptunnel admin org update " + id + " --sso-required"));
      }
    }
    return out;
  }
}
