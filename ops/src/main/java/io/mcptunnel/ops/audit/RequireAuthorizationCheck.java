package io.mcptunnel.ops.audit;

import io.mcptunnel.proxy.config.ProxyConfig;
import java.util.ArrayList;
import java.util.List;

/** Defence in depth: the proxy answers 401 itself to requests without a Bearer token. */
final class RequireAuthorizationCheck {
  static final String ID = "require-authorization-off";

  private RequireAuthorizationCheck() {}

  static List<Finding> findings(ProxyConfig config) {
    List<Finding> out = new ArrayList<>();
    for (String route : config.routes().keySet()) {
      if (!config.policy(route).requireAuthorization()) {
        out.add(new Finding(ID, Severity.LOW, "route " + route,
            "policies." + route + ".require_authorization is not set: requests without a Bearer token reach the upstream",
            "policies:\n  " + route + ":\n    require_authorization: true"));
      }
    }
    return out;
  }
}
