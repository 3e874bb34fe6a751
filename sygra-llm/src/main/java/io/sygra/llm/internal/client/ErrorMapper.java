package io.sygra.llm.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.llm.AuthenticationException;
import io.sygra.llm.BadRequestException;
import io.sygra.llm.ConnectionException;
import io.sygra.llm.ContentFilterException;
import io.sygra.llm.ContextLengthExceededException;
import io.sygra.llm.MalformedResponseException;
import io.sygra.llm.ModelException;
import io.sygra.llm.ModelNotFoundException;
import io.sygra.llm.ModelTimeoutException;
import io.sygra.llm.PermissionDeniedException;
import io.sygra.llm.QuotaExceededException;
import io.sygra.llm.RateLimitException;
import io.sygra.llm.Secret;
import io.sygra.llm.ServerErrorException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Headers;

/**
 * Maps HTTP statuses, error bodies and I/O failures to the {@link ModelException} hierarchy.
 *
 * <p>Error bodies come in many shapes: OpenAI {@code {"error":{"message","type","code","param"}}}
 * with a string code, OpenRouter with an integer code and {@code metadata.raw}, {@code "code":
 * null}, Anthropic {@code {"type":"error","error":{"type","message"}}}, Ollama {@code
 * {"error":"..."}}, FastAPI {@code {"detail":...}}, vLLM {@code {"object":"error","message"}}, and
 * text/plain. Messages are truncated and scrubbed of the API key.
 */
public final class ErrorMapper {
  private ErrorMapper() {}

  private static final int MAX_MESSAGE = 2000;

  /** Wordings of "prompt too long for the model" by servers that send no code for it. */
  private static final Pattern CONTEXT_LENGTH =
      Pattern.compile(
          "context[ _-]?length|maximum context|context window|context size|prompt is too long|"
              + "input is too long|too many input tokens|max_new_tokens` must be|"
              + "reduce the length of the (messages|prompt|input)",
          Pattern.CASE_INSENSITIVE);

  /** Who was called; used to fill in exceptions and to scrub the key from messages. */
  public record CallInfo(String provider, String model, Secret secret) {
    /** {@code s} with the API key replaced by {@code ***}. */
    public String redact(String s) {
      return s == null || secret == null ? s : secret.redact(s);
    }

    String scrub(String s) {
      if (s == null) {
        return null;
      }
      String out = secret == null ? s : secret.redact(s);
      return out.length() > MAX_MESSAGE ? out.substring(0, MAX_MESSAGE) + "..." : out;
    }
  }

  /** What an error body said. All fields may be null. */
  public record ErrorBody(String message, String code, String type) {
    static final ErrorBody EMPTY = new ErrorBody(null, null, null);
  }

  /** Parses an error body of any known shape; never throws. */
  public static ErrorBody parseBody(String contentType, String body) {
    if (body == null || body.isBlank()) {
      return ErrorBody.EMPTY;
    }
    String trimmed = body.trim();
    if (trimmed.startsWith("{")) {
      try {
        return fromJson(WireJson.MAPPER.readTree(trimmed));
      } catch (IOException notJson) {
        // fall through: treat as text
      }
    }
    return new ErrorBody(trimmed, null, null);
  }

  /** Reads an error out of a parsed JSON body or an error object; never throws. */
  public static ErrorBody fromJson(JsonNode root) {
    if (root == null || !root.isObject()) {
      return new ErrorBody(root == null ? null : root.toString(), null, null);
    }
    JsonNode err = root.get("error");
    if (err != null && err.isTextual()) {
      return new ErrorBody(err.asText(), WireJson.scalar(root.get("code")), null);
    }
    JsonNode holder = err != null && err.isObject() ? err : root;
    String message = WireJson.text(holder, "message");
    if (message == null) {
      JsonNode detail = holder.get("detail");
      if (detail != null && !detail.isNull()) {
        message = detail.isTextual() ? detail.asText() : detail.toString();
      }
    }
    JsonNode meta = holder.get("metadata");
    if (meta != null && meta.isObject()) {
      String raw = WireJson.scalar(meta.get("raw"));
      String upstream = WireJson.text(meta, "provider_name");
      if (raw != null && !raw.isBlank()) {
        message =
            (message == null ? "" : message + " ")
                + "("
                + (upstream == null ? "upstream" : upstream)
                + ": "
                + raw.strip()
                + ")";
      }
    }
    String code = WireJson.scalar(holder.get("code"));
    String type = WireJson.text(holder, "type");
    if ("error".equals(type) && holder == root) {
      type = null; // Anthropic's outer "type":"error"
    }
    JsonNode inner = holder.get("innererror");
    if (inner != null && inner.isObject() && code == null) {
      code = WireJson.scalar(inner.get("code"));
    }
    if (message == null && err == null && code == null) {
      message = root.toString();
    }
    return new ErrorBody(message, code, type);
  }

  /** The exception for an HTTP error status (4xx/5xx) with the given body. */
  public static ModelException fromStatus(
      CallInfo call, int status, Headers headers, String requestId, ErrorBody body, Clock clock) {
    String message = call.scrub(body.message());
    if (message == null || message.isBlank()) {
      message = "HTTP " + status + " with no error message";
    }
    String code = body.code() != null ? body.code() : body.type();
    Duration retryAfter = RetryAfter.parse(headers, clock);
    return classify(call, status, status, requestId, code, body.type(), message, retryAfter);
  }

  /**
   * The exception for an error object found inside a 200 reply (a JSON body or an SSE event). An
   * integer code in the HTTP range selects the class as if it were the status; otherwise the code
   * or type decides, and unknown errors count as retryable server errors.
   */
  public static ModelException fromErrorObject(
      CallInfo call, int httpStatus, String requestId, ErrorBody body) {
    String message = call.scrub(body.message());
    if (message == null || message.isBlank()) {
      message = "error object with no message";
    }
    int effective = 500;
    String code = body.code();
    if (code != null && code.matches("\\d{3}")) {
      effective = Integer.parseInt(code);
    } else {
      String k = lower(code) + " " + lower(body.type());
      if (k.contains("rate_limit")) {
        effective = 429;
      } else if (k.contains("invalid_request") || k.contains("bad_request")) {
        effective = 400;
      } else if (k.contains("authentication")) {
        effective = 401;
      } else if (k.contains("permission")) {
        effective = 403;
      } else if (k.contains("not_found")) {
        effective = 404;
      } else if (k.contains("content_filter") || k.contains("content_policy")) {
        effective = 400;
      }
    }
    String shown = code != null ? code : body.type();
    return classify(call, httpStatus, effective, requestId, shown, body.type(), message, null);
  }

  private static ModelException classify(
      CallInfo call,
      int reportedStatus,
      int status,
      String requestId,
      String code,
      String type,
      String message,
      Duration retryAfter) {
    // Servers echo request fields back in any of these; none may carry the key into a message.
    code = call.scrub(code);
    type = call.scrub(type);
    requestId = call.scrub(requestId);
    String provider = call.provider();
    String model = call.model();
    String keys = lower(code) + " " + lower(type);
    if (keys.contains("content_filter")
        || keys.contains("content_policy")
        || keys.contains("responsibleaipolicyviolation")
        || keys.contains("moderation")) {
      return new ContentFilterException(
          provider, model, reportedStatus, requestId, code, message, null);
    }
    if (keys.contains("context_length")
        || ((status == 400 || status == 413 || status == 422)
            && CONTEXT_LENGTH.matcher(message).find())) {
      return new ContextLengthExceededException(
          provider, model, reportedStatus, requestId, code, message, null);
    }
    if (status == 429 || keys.contains("rate_limit")) {
      if (keys.contains("insufficient_quota") || keys.contains("billing")) {
        return new QuotaExceededException(
            provider, model, reportedStatus, requestId, code, message, null);
      }
      return new RateLimitException(
          provider, model, reportedStatus, requestId, code, message, retryAfter, null);
    }
    if (status == 402) {
      return new QuotaExceededException(
          provider, model, reportedStatus, requestId, code, message, null);
    }
    if (status == 401) {
      return new AuthenticationException(
          provider, model, reportedStatus, requestId, code, message, null);
    }
    if (status == 403) {
      return new PermissionDeniedException(
          provider, model, reportedStatus, requestId, code, message, null);
    }
    if (status == 404) {
      return new ModelNotFoundException(
          provider, model, reportedStatus, requestId, code, message, null);
    }
    if (status == 408) {
      return new ModelTimeoutException(
          provider, model, reportedStatus, requestId, code, message, null);
    }
    if (status == 409 || status >= 500) {
      return new ServerErrorException(
          provider, model, reportedStatus, requestId, code, message, retryAfter, null);
    }
    return new BadRequestException(provider, model, reportedStatus, requestId, code, message, null);
  }

  /** Maps a failure to get a response at all (no status yet). */
  public static ModelException fromConnectFailure(CallInfo call, IOException e) {
    String message = call.scrub(describe(e));
    if (isTimeout(e)) {
      return new ModelTimeoutException(call.provider(), call.model(), -1, null, null, message, e);
    }
    boolean certificateProblem =
        e instanceof SSLPeerUnverifiedException
            || (e instanceof SSLHandshakeException && hasCause(e, CertificateException.class));
    return new ConnectionException(call.provider(), call.model(), message, !certificateProblem, e);
  }

  /** Maps a failure while reading a response body whose status was {@code status}. */
  public static ModelException fromBodyFailure(
      CallInfo call, int status, String requestId, IOException e) {
    String message = call.scrub(describe(e));
    if (isTimeout(e)) {
      return new ModelTimeoutException(
          call.provider(), call.model(), status, requestId, null, message, e);
    }
    if (e instanceof EOFException || e instanceof ProtocolException) {
      message = "response body truncated: " + message;
    }
    return new MalformedResponseException(
        call.provider(), call.model(), status, requestId, null, message, e);
  }

  /** A 2xx body that is not what the API promises. */
  public static MalformedResponseException malformed(
      CallInfo call, int status, String requestId, String what, Throwable cause) {
    return new MalformedResponseException(
        call.provider(), call.model(), status, requestId, null, call.scrub(what), cause);
  }

  static boolean isTimeout(IOException e) {
    return e instanceof SocketTimeoutException
        || (e instanceof InterruptedIOException && "timeout".equals(e.getMessage()));
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }
}
