/**
 * {@code mcptunnel monitor}: follows components' JSON (or text) log lines and Prometheus metrics,
 * turns them into {@link io.mcptunnel.ops.monitor.Signal signals}, and feeds small pure rules that
 * raise {@link io.mcptunnel.ops.monitor.Alert alerts} saying why. Windows are measured with an
 * injected clock at the moment a line is read or a scrape answers, so tests never sleep.
 */
package io.mcptunnel.ops.monitor;
