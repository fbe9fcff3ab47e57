package io.mcptunnel.proxy;

import io.mcptunnel.proxy.config.Upstream;

/** A configured route: its key (used as the metrics and log label) and where it leads. */
public record Route(String name, Upstream upstream) {}
