package org.totalrecall.cli.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP side of {@code totalrecall serve}: the JDK's {@link HttpServer} with one virtual thread
 * per request, request bodies bounded to {@code maxBody} bytes (a larger one is a 400 before it is
 * parsed), JSON answers from {@link Api}, and Prometheus metrics on {@code GET /metrics}
 * (Micrometer: a latency histogram per route and status, {@code
 * totalrecall_http_requests_seconds}). An unexpected exception in a handler (a bug) is a 500 with a
 * JSON body, logged to stderr.
 */
public final class Server implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer http;
  private final Api api;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final int maxBody;

  Server(Api api, String host, int port, int maxBody) throws IOException {
    this.api = api;
    this.maxBody = maxBody;
    this.http = HttpServer.create(new InetSocketAddress(host, port), 1024);
    http.createContext("/", this::exchange);
    http.setExecutor(executor);
  }

  /**
   * A server for {@code modelFile} (and its index, or null), not yet started.
   *
   * @param adminToken the reload token, or null for no reloads
   */
  public static Server create(
      java.nio.file.Path modelFile,
      java.nio.file.Path index,
      int ef,
      int threads,
      String host,
      int port,
      String adminToken,
      int maxK,
      int maxBody)
      throws IOException {
    Api.Loader loader = () -> Served.load(modelFile, index, ef, threads);
    return new Server(new Api(loader.load(), loader, adminToken, maxK), host, port, maxBody);
  }

  /** Starts answering. */
  public void start() {
    http.start();
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  /** What is served, for the start-up line. */
  public String describe() {
    Served s = api.served();
    return s.modelFile()
        + " ("
        + s.model().numUsers()
        + " users, "
        + s.model().numItems()
        + " items; u2i "
        + s.recommender().itemRetriever().describe()
        + ", i2u "
        + s.recommender().userRetriever().describe()
        + ")";
  }

  /** Stops accepting, waits up to {@code seconds} for requests in flight, then stops. */
  public void stop(int seconds) {
    http.stop(seconds);
    executor.shutdown();
  }

  @Override
  public void close() {
    stop(0);
  }

  private void exchange(HttpExchange ex) throws IOException {
    long start = System.nanoTime();
    String route = "unmatched";
    int status = 500;
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getRawPath();
      if ("/metrics".equals(path)) {
        route = "/metrics";
        if (!"GET".equals(method)) {
          status = 405;
          ex.getResponseHeaders().set("Allow", "GET");
          send(ex, status, error(405, "method " + method + " is not allowed here; use GET"));
          return;
        }
        status = 200;
        byte[] text = registry.scrape().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(200, text.length);
        ex.getResponseBody().write(text);
        return;
      }
      byte[] body = readBounded(ex.getRequestBody());
      Api.Response r;
      if (body == null) {
        r =
            new Api.Response(
                400,
                error(400, "the request body exceeds " + maxBody + " bytes"),
                "oversized",
                null);
      } else {
        r =
            api.handle(
                method,
                path,
                ex.getRequestURI().getRawQuery(),
                ex.getRequestHeaders().getFirst("Authorization"),
                body);
      }
      route = r.route();
      status = r.status();
      if (r.allow() != null) {
        ex.getResponseHeaders().set("Allow", r.allow());
      }
      send(ex, status, r.body());
    } catch (RuntimeException e) {
      status = 500;
      System.err.println(
          "totalrecall serve: internal error on "
              + ex.getRequestMethod()
              + " "
              + ex.getRequestURI()
              + ": "
              + e);
      try {
        send(ex, 500, error(500, "internal error (a bug): " + e.getClass().getSimpleName()));
      } catch (IOException | RuntimeException ignored) {
        // the response may already have started: the client sees a cut connection
      }
    } finally {
      Timer.builder("totalrecall.http.requests")
          .description("Request latency by route and status")
          .tag("route", route)
          .tag("status", Integer.toString(status))
          .publishPercentileHistogram()
          .register(registry)
          .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  /** The body, or null if it exceeds {@code maxBody} bytes (then not read further). */
  private byte[] readBounded(InputStream in) throws IOException {
    byte[] buf = in.readNBytes(maxBody + 1);
    return buf.length > maxBody ? null : buf;
  }

  private static Map<String, Object> error(int status, String message) {
    return Map.of("error", Map.of("status", status, "message", message));
  }

  private static void send(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }
}
