package io.mcptunnel.bench;

import io.mcptunnel.testing.TestCaller;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/** A tunnel session: WebSocket to the proxy, inner TLS, HTTP/1.1 inside (via {@link TestCaller}). */
final class TunnelConn implements Conn {
  private final TestCaller caller;
  private final String host;

  TunnelConn(TestCaller caller, String host) {
    this.caller = caller;
    this.host = host;
  }

  TestCaller caller() {
    return caller;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public CompletableFuture<Result> exchange(FullHttpRequest request) {
    CompletableFuture<Result> done = new CompletableFuture<>();
    caller.stream(request, new TestCaller.Listener() {
      private int status;
      private long bytes;

      @Override
      public void head(HttpResponse head) {
        status = head.status().code();
      }

      @Override
      public void chunk(ByteBuf content) {
        bytes += content.readableBytes();
      }

      @Override
      public void end() {
        done.complete(new Result(status, bytes));
      }

      @Override
      public void failed(Throwable cause) {
        done.completeExceptionally(cause);
      }
    });
    return done;
  }

  @Override
  public void close() {
    caller.close();
  }
}
