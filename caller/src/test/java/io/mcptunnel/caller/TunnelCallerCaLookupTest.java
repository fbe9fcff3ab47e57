package io.mcptunnel.caller;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.common.HostPort;
import io.mcptunnel.testing.TestPki;
import io.netty.channel.EventLoop;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** A CA lookup that takes its time leaves the event loop free and hands its answer back to the loop. */
class TunnelCallerCaLookupTest {
  static final X509Certificate CA = TestPki.create("tunnel-ca").ca().certificate();

  @Test
  void aPendingLookupDoesNotHoldTheLoopAndCompletesOnIt() throws Exception {
    CompletableFuture<Optional<List<X509Certificate>>> answer = new CompletableFuture<>();
    TunnelCas slow = host -> answer;
    try (TunnelCaller caller = TunnelCaller.start(new CallerSettings(List.of(new HostPort("127.0.0.1", 1)), null,
        "ck_unused", slow, 1))) {
      EventLoop loop = caller.group().next();
      CompletableFuture<CompletableFuture<List<X509Certificate>>> started = new CompletableFuture<>();
      loop.execute(() -> started.complete(caller.activeCas(loop, "mcp.t.example")));
      CompletableFuture<List<X509Certificate>> cas = started.get(5, TimeUnit.SECONDS);
      // The loop runs other work while the answer is outstanding.
      assertThat(loop.submit(() -> "free").get(5, TimeUnit.SECONDS)).isEqualTo("free");
      assertThat(cas).isNotDone();

      AtomicBoolean onLoop = new AtomicBoolean();
      CompletableFuture<Void> seen = cas.thenAccept(list -> onLoop.set(loop.inEventLoop()));
      new Thread(() -> answer.complete(Optional.of(List.of(CA)))).start();
      seen.get(5, TimeUnit.SECONDS);
      assertThat(cas.get()).containsExactly(CA);
      assertThat(onLoop).isTrue();
    }
  }

  @Test
  void lookupFailuresBecomeTunnelCallExceptions() throws Exception {
    for (var c : List.<Object[]>of(
        new Object[] {CompletableFuture.completedFuture(Optional.empty()), 404, "no tunnel is configured for host"},
        new Object[] {CompletableFuture.completedFuture(Optional.of(List.of())), 503, "has no active CA certificate"},
        new Object[] {CompletableFuture.failedFuture(new TunnelCallException(503, "control plane unreachable: x",
            true)), 503, "control plane unreachable: x"})) {
      @SuppressWarnings("unchecked")
      CompletableFuture<Optional<List<X509Certificate>>> answer = (CompletableFuture<Optional<List<X509Certificate>>>) c[0];
      try (TunnelCaller caller = TunnelCaller.start(new CallerSettings(List.of(new HostPort("127.0.0.1", 1)), null,
          "ck_unused", host -> answer, 1))) {
        EventLoop loop = caller.group().next();
        CompletableFuture<List<X509Certificate>> cas = loop.submit(() -> caller.activeCas(loop, "mcp.t.example"))
            .get(5, TimeUnit.SECONDS);
        Assertions.assertThatThrownBy(() -> cas.get(5, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(TunnelCallException.class).hasMessageContaining((String) c[2])
            .satisfies(e -> assertThat(((TunnelCallException) e).status()).isEqualTo(c[1]));
      }
    }
  }
}
