package io.mcptunnel.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  static final long SECOND = 1_000_000_000L;
  final AtomicLong now = new AtomicLong(42);

  @Test
  void admitsTheBurstThenRefillsAtTheRate() {
    TokenBucket b = new TokenBucket(2, 3, now::get);
    assertThat(b.take()).isZero();
    assertThat(b.take()).isZero();
    assertThat(b.take()).isZero();
    // Empty: the next token comes in half a second at 2 per second.
    assertThat(b.take()).isEqualTo(SECOND / 2);
    now.addAndGet(SECOND / 4);
    assertThat(b.take()).isEqualTo(SECOND / 4);
    now.addAndGet(SECOND / 4);
    assertThat(b.take()).isZero();
    assertThat(b.take()).isEqualTo(SECOND / 2);
  }

  @Test
  void neverHoldsMoreThanTheBurst() {
    TokenBucket b = new TokenBucket(10, 2, now::get);
    now.addAndGet(3600 * SECOND);
    assertThat(b.take()).isZero();
    assertThat(b.take()).isZero();
    assertThat(b.take()).isPositive();
  }

  @Test
  void retryAfterIsWholeSecondsRoundedUpAtLeastOne() {
    assertThat(TokenBucket.retryAfterSeconds(1)).isEqualTo(1);
    assertThat(TokenBucket.retryAfterSeconds(SECOND)).isEqualTo(1);
    assertThat(TokenBucket.retryAfterSeconds(SECOND + 1)).isEqualTo(2);
    assertThat(TokenBucket.retryAfterSeconds(1000 * SECOND)).isEqualTo(1000);
  }

  @Test
  void slowRatesWaitLong() {
    TokenBucket b = new TokenBucket(0.5, 1, now::get);
    assertThat(b.take()).isZero();
    assertThat(TokenBucket.retryAfterSeconds(b.take())).isEqualTo(2);
  }
}
