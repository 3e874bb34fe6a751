package io.sygra.llm;

import java.time.Duration;
import java.util.List;

/**
 * A model's reply.
 *
 * @param text the reply text with any inline {@code <think>} block removed; null when the reply is
 *     only tool calls
 * @param toolCalls requested tool calls (never null)
 * @param finishReason {@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}, or
 *     what the server sent; null if none
 * @param reasoning reasoning text from {@code reasoning}, {@code reasoning_content} or an inline
 *     {@code <think>} block; null if none
 * @param usage token usage
 * @param model the model that answered, as the server names it
 * @param requestId the server's request or response id, when known
 * @param latency time from sending the request to the complete response
 * @param provider the provider name ({@code openai}, {@code azure}, {@code anthropic}, {@code
 *     ollama}, {@code simulated}, ...)
 */
public record ChatResponse(
    String text,
    List<ToolCall> toolCalls,
    String finishReason,
    String reasoning,
    Usage usage,
    String model,
    String requestId,
    Duration latency,
    String provider) {
  public ChatResponse {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    usage = usage == null ? Usage.NONE : usage;
    latency = latency == null ? Duration.ZERO : latency;
  }

  /** The reply text, or an empty string when there is none. */
  public String textOrEmpty() {
    return text == null ? "" : text;
  }

  /** True when the server stopped because of the token limit. */
  public boolean truncated() {
    return "length".equals(finishReason);
  }
}
