package dev.zkdigest.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One call of the Chrome DevTools protocol over the JDK's WebSocket client: {@code
 * Runtime.evaluate} in a tab, the promise it returns awaited. Enough to click a page's buttons from
 * a test without a browser driver.
 */
final class Cdp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 60;

  private Cdp() {}

  /** The value of {@code expression} (a promise of a string) in the tab at {@code socket}. */
  static String evaluate(String socket, String expression) throws Exception {
    ObjectNode params =
        JSON.createObjectNode()
            .put("expression", expression)
            .put("awaitPromise", true)
            .put("returnByValue", true);
    JsonNode r = call(socket, "Runtime.evaluate", params);
    if (r.has("error") || r.path("result").has("exceptionDetails")) {
      throw new AssertionError("evaluation failed: " + r);
    }
    return r.path("result").path("result").path("value").asText();
  }

  /** Asks the browser at {@code socket} to close, as its window's close button would. */
  static void closeBrowser(String socket) {
    try {
      call(socket, "Browser.close", JSON.createObjectNode());
    } catch (Exception e) {
      // it may close before it answers
    }
  }

  private static JsonNode call(String socket, String method, ObjectNode params) throws Exception {
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    WebSocket ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(URI.create(socket), new Listener(reply))
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    try {
      ObjectNode msg = JSON.createObjectNode().put("id", 1).put("method", method);
      msg.set("params", params);
      ws.sendText(JSON.writeValueAsString(msg), true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return reply.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } finally {
      ws.abort();
    }
  }

  /** Collects a message's frames and completes {@code reply} with the answer to call 1. */
  private static final class Listener implements WebSocket.Listener {
    private final CompletableFuture<JsonNode> reply;
    private final StringBuilder text = new StringBuilder();

    Listener(CompletableFuture<JsonNode> reply) {
      this.reply = reply;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode n = JSON.readTree(text.toString());
          if (n.path("id").asInt() == 1) {
            reply.complete(n);
          }
        } catch (Exception e) {
          reply.completeExceptionally(e);
        }
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      reply.completeExceptionally(error);
    }
  }
}
