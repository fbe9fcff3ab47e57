package io.mcptunnel.netty.http;

import io.netty.handler.codec.http.HttpRequest;
import java.time.Duration;

/**
 * One finished exchange, for access logs and metrics. {@code lease} is null when the request was
 * answered without an upstream; {@code status} 499 means the client left before the answer.
 */
public record ExchangeRecord(String id, HttpRequest request, UpstreamLease lease, int status, long bytesIn,
    long bytesOut, Duration took) {}
