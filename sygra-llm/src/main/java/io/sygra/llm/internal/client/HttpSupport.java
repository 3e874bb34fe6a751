package io.sygra.llm.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.core.ConfigurationException;
import io.sygra.llm.ModelException;
import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** Small helpers shared by the provider clients. */
public final class HttpSupport {
  private HttpSupport() {}

  private static final String[] REQUEST_ID_HEADERS = {
    "x-request-id", "request-id", "apim-request-id", "x-ms-request-id", "inference-id"
  };

  /** The server's request id from the usual headers, or null. */
  public static String requestId(Headers headers) {
    for (String h : REQUEST_ID_HEADERS) {
      String v = headers.get(h);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return null;
  }

  /** The whole body as text (empty when there is none). */
  public static String bodyText(Response response) throws IOException {
    ResponseBody body = response.body();
    return body == null ? "" : body.string();
  }

  /**
   * The whole body as bytes when it can be parsed as JSON straight from them (no charset, or UTF-8,
   * declared), else null: callers then read {@link #bodyText} so the declared charset is honoured.
   * Skips decoding to a String the replies that are only parsed.
   */
  public static byte[] jsonBodyBytes(Response response) throws IOException {
    String ct = response.header("Content-Type");
    if (ct != null) {
      String lower = ct.toLowerCase(Locale.ROOT);
      int cs = lower.indexOf("charset=");
      if (cs >= 0 && !lower.startsWith("utf-8", cs + 8) && !lower.startsWith("\"utf-8\"", cs + 8)) {
        return null;
      }
    }
    ResponseBody body = response.body();
    return body == null ? new byte[0] : body.bytes();
  }

  /**
   * True when the body starts (after whitespace) like a server-sent event stream: {@code data:} or
   * a {@code :} comment line.
   */
  public static boolean looksLikeEventStream(byte[] body) {
    int i = 0;
    while (i < body.length && Character.isWhitespace(body[i])) {
      i++;
    }
    if (i < body.length && body[i] == ':') {
      return true;
    }
    return body.length - i >= 5
        && body[i] == 'd'
        && body[i + 1] == 'a'
        && body[i + 2] == 't'
        && body[i + 3] == 'a'
        && body[i + 4] == ':';
  }

  /** The media type without parameters, lower case; empty when unknown. */
  public static String contentType(Response response) {
    String ct = response.header("Content-Type");
    if (ct == null) {
      return "";
    }
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /** Reads the body of a non-2xx response and maps it to an exception. */
  public static ModelException errorFor(Response response, ErrorMapper.CallInfo info, Clock clock)
      throws IOException {
    String body = bodyText(response);
    HttpTransport.WIRE_LOG.debug("<-- {} {}", response.code(), info.redact(body));
    return ErrorMapper.fromStatus(
        info,
        response.code(),
        response.headers(),
        requestId(response.headers()),
        ErrorMapper.parseBody(contentType(response), body),
        clock);
  }

  /** Parses a 2xx JSON body, failing with a malformed-response exception when it is not JSON. */
  public static JsonNode parseJson(
      String body, ErrorMapper.CallInfo info, int status, String requestId) {
    try {
      JsonNode node = WireJson.MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw ErrorMapper.malformed(info, status, requestId, "empty response body", null);
      }
      return node;
    } catch (IOException e) {
      throw ErrorMapper.malformed(
          info, status, requestId, "response body is not JSON: " + abbreviate(body, 200), e);
    }
  }

  /** As {@link #parseJson(String, ErrorMapper.CallInfo, int, String)}, from UTF-8 bytes. */
  public static JsonNode parseJson(
      byte[] body, ErrorMapper.CallInfo info, int status, String requestId) {
    try {
      JsonNode node = WireJson.MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw ErrorMapper.malformed(info, status, requestId, "empty response body", null);
      }
      return node;
    } catch (IOException e) {
      throw ErrorMapper.malformed(
          info,
          status,
          requestId,
          "response body is not JSON: "
              + abbreviate(new String(body, java.nio.charset.StandardCharsets.UTF_8), 200),
          e);
    }
  }

  /**
   * Validates a base URL: http or https, no query or fragment; returns it without a trailing slash.
   */
  public static String baseUrl(String field, String value) {
    ConfigurationException.check(
        value != null && !value.isBlank(), field, "must be an http(s) URL, was '" + value + "'");
    String v = value.trim();
    HttpUrl url = HttpUrl.parse(v);
    ConfigurationException.check(url != null, field, "must be an http(s) URL, was '" + v + "'");
    ConfigurationException.check(
        url.query() == null && url.fragment() == null,
        field,
        "must not have a query or fragment, was '" + v + "'");
    while (v.endsWith("/")) {
      v = v.substring(0, v.length() - 1);
    }
    return v;
  }

  public static String abbreviate(String s, int max) {
    if (s == null) {
      return null;
    }
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
