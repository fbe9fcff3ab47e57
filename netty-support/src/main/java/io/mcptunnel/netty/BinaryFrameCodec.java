package io.mcptunnel.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * Turns a WebSocket into a byte stream: binary (and continuation) frames in, their payload out;
 * bytes written become binary frames. Placed below an ordinary {@code SslHandler}, it carries TLS
 * records inside WebSocket frames. Control frames are left to the WebSocket protocol handler;
 * a text frame is a protocol error because the stream carries only TLS.
 */
public final class BinaryFrameCodec extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
    out.add(new BinaryWebSocketFrame(msg.retain()));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
    if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
      out.add(frame.content().retain());
    } else if (frame instanceof TextWebSocketFrame) {
      throw new CorruptedFrameException("text frame on a binary TLS stream");
    } else {
      out.add(frame.retain());
    }
  }
}
