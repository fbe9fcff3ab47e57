package io.mcptunnel.bench;

import io.netty.handler.codec.http.FullHttpRequest;
import java.util.concurrent.CompletableFuture;

/** One keep-alive HTTP/1.1 connection (direct) or inner session (tunnel); requests are sequential. */
interface Conn extends AutoCloseable {
  /** Status and body length of a response; the body itself is counted, never kept. */
  record Result(int status, long bytes) {}

  /** The Host header to send. */
  String host();

  CompletableFuture<Result> exchange(FullHttpRequest request);

  @Override
  void close();
}
