package io.sygra.benchmarks.fake;

import java.util.Map;

/**
 * One parsed HTTP/1.1 request.
 *
 * @param method the method, upper case as sent
 * @param path the path without the query string
 * @param query the raw query string, or empty
 * @param headers header values by lower-case name (repeated headers joined with ", ")
 * @param body the decoded body (de-chunked), possibly empty
 * @param keepAlive whether the connection may be reused after the response
 */
record ParsedRequest(
    String method,
    String path,
    String query,
    Map<String, String> headers,
    byte[] body,
    boolean keepAlive) {

  String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  /** The value of a query parameter, or null. Values are not percent-decoded. */
  String queryParameter(String name) {
    if (query.isEmpty()) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return eq < 0 ? "" : pair.substring(eq + 1);
      }
    }
    return null;
  }
}
