package io.mcptunnel.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SseEventsTest {
  static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":[{\"name\":\"echo\"},{\"name\":\"add\"}]}}";
  static final String FILTERED = "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":[{\"name\":\"echo\"}]}}";

  final SseEvents sse = new SseEvents(Set.of("echo"), 1024);

  String feed(String s) throws Exception {
    return new String(sse.feed(s.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  @Test
  void otherEventsPassByteForByteAsSoonAsComplete() throws Exception {
    assertThat(feed(": comment\r\n\r\nid: 1\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"x\"}\n"))
        .isEqualTo(": comment\r\n\r\n");
    assertThat(feed("\n")).isEqualTo("id: 1\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"x\"}\n\n");
    assertThat(feed("data: not json\n\n")).isEqualTo("data: not json\n\n");
  }

  @Test
  void toolsListResultsAreRewrittenKeepingIdAndEvent() throws Exception {
    assertThat(feed("id: 7\nevent: message\ndata: " + LIST.substring(0, 20))).isEmpty();
    assertThat(feed(LIST.substring(20) + "\r")).isEmpty();
    assertThat(feed("\n\r\n")).isEqualTo("id: 7\nevent: message\ndata: " + FILTERED + "\n\n");
  }

  @Test
  void multiLineDataIsJoined() throws Exception {
    assertThat(feed("data: {\"jsonrpc\":\"2.0\",\"id\":2,\n"
        + "data: \"result\":{\"tools\":[{\"name\":\"add\"}]}}\n\n"))
        .isEqualTo("data: {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":[]}}\n\n");
  }

  @Test
  void anOversizedEventIsRefused() {
    assertThatThrownBy(() -> feed("data: " + "x".repeat(2000))).isInstanceOf(SseEvents.TooLarge.class)
        .hasMessage("a server-sent event exceeds 1024 bytes");
  }

  @Test
  void anUnterminatedTailIsHandedBackAtTheEnd() throws Exception {
    assertThat(feed("data: partial")).isEmpty();
    assertThat(new String(sse.rest(), StandardCharsets.UTF_8)).isEqualTo("data: partial");
  }
}
