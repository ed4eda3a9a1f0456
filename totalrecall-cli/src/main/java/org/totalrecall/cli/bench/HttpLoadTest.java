package org.totalrecall.cli.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.totalrecall.data.IdIndex;
import org.totalrecall.util.Checks;

/**
 * A closed-loop load test of {@code totalrecall serve} through the JDK's HTTP client (HTTP/1.1,
 * kept-alive connections): {@code concurrency} virtual threads each send u2i requests ({@code GET
 * /v1/users/{id}/items?k=}) for random known users, back to back, until {@code requests} have been
 * sent or {@code seconds} have passed; a share of them malformed (unknown users, bad k, unknown
 * parameters, bad paths, each of which must be a 400 or 404); and, with a token, a reload of the
 * model every {@code reloadEvery} requests. Reports requests per second, latency percentiles (from
 * every request's time), status counts, transport errors and how many answers broke the contract (a
 * 5xx, a well-formed request not answered 200, a malformed one answered outside 400/404). Library
 * code: prints nothing.
 */
public final class HttpLoadTest {
  private HttpLoadTest() {}

  /** What to run. */
  public record Plan(
      URI base,
      IdIndex users,
      int k,
      int requests,
      double seconds,
      int concurrency,
      double malformed,
      String reloadToken,
      int reloadEvery,
      long seed) {
    public Plan {
      Checks.notNull("base", base);
      Checks.notNull("users", users);
      Checks.positive("requests", requests);
      Checks.positive("concurrency", concurrency);
      if (!(malformed >= 0 && malformed < 1)) {
        throw new IllegalArgumentException("malformed must be in [0, 1), got " + malformed);
      }
    }
  }

  private static final String[] BAD = {
    "/v1/users/%s/items?k=0",
    "/v1/users/%s/items?k=abc",
    "/v1/users/%s/items?k=100000",
    "/v1/users/%s/items?kk=1",
    "/v1/users/no-such-user-%s/items?k=10",
    "/v1/users/%s/itemz",
    "/v1/users/%s/items?include_seen=perhaps",
  };

  /** Runs the plan and returns its figures. */
  public static Map<String, Object> run(Plan plan) throws InterruptedException {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
            .build();
    AtomicInteger issued = new AtomicInteger();
    long deadline = System.nanoTime() + (long) (plan.seconds() * 1e9);
    long[] latencies = new long[plan.requests()];
    AtomicInteger recorded = new AtomicInteger();
    Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    LongAdder transportErrors = new LongAdder();
    LongAdder violations = new LongAdder();
    LongAdder malformedSent = new LongAdder();
    AtomicLong reloads = new AtomicLong();
    LongAdder reloadFailures = new LongAdder();
    Map<String, String> firstViolation = new ConcurrentHashMap<>();
    Thread[] workers = new Thread[plan.concurrency()];
    long start = System.nanoTime();
    for (int w = 0; w < workers.length; w++) {
      final SplittableRandom rng = new SplittableRandom(plan.seed() * 7919 + w);
      workers[w] =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int n = issued.getAndIncrement();
                        n < plan.requests() && System.nanoTime() < deadline;
                        n = issued.getAndIncrement()) {
                      if (plan.reloadToken() != null
                          && plan.reloadEvery() > 0
                          && n > 0
                          && n % plan.reloadEvery() == 0) {
                        reloads.incrementAndGet();
                        try {
                          HttpResponse<String> r =
                              client.send(
                                  HttpRequest.newBuilder(plan.base().resolve("/v1/admin/reload"))
                                      .header("Authorization", "Bearer " + plan.reloadToken())
                                      .POST(HttpRequest.BodyPublishers.noBody())
                                      .build(),
                                  HttpResponse.BodyHandlers.ofString());
                          if (r.statusCode() != 200) {
                            reloadFailures.increment();
                          }
                        } catch (Exception e) {
                          reloadFailures.increment();
                        }
                      }
                      String user =
                          URLs.segment(plan.users().idOf(rng.nextInt(plan.users().size())));
                      boolean bad = rng.nextDouble() < plan.malformed();
                      String path =
                          bad
                              ? String.format(BAD[rng.nextInt(BAD.length)], user)
                              : "/v1/users/" + user + "/items?k=" + plan.k();
                      if (bad) {
                        malformedSent.increment();
                      }
                      long t0 = System.nanoTime();
                      try {
                        HttpResponse<String> r =
                            client.send(
                                HttpRequest.newBuilder(plan.base().resolve(path)).GET().build(),
                                HttpResponse.BodyHandlers.ofString());
                        long dt = System.nanoTime() - t0;
                        int slot = recorded.getAndIncrement();
                        if (slot < latencies.length) {
                          latencies[slot] = dt;
                        }
                        int status = r.statusCode();
                        statuses.computeIfAbsent(status, x -> new LongAdder()).increment();
                        boolean ok = bad ? status == 400 || status == 404 : status == 200;
                        if (!ok) {
                          violations.increment();
                          firstViolation.putIfAbsent(
                              "request", path + " -> " + status + " " + r.body());
                        }
                      } catch (Exception e) {
                        transportErrors.increment();
                        firstViolation.putIfAbsent("transport", path + ": " + e);
                      }
                    }
                  });
    }
    for (Thread w : workers) {
      w.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int n = Math.min(recorded.get(), latencies.length);
    long[] lat = Arrays.copyOf(latencies, n);
    Arrays.sort(lat);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requests", n);
    out.put("malformed", malformedSent.sum());
    out.put("seconds", seconds);
    out.put("requestsPerSecond", n / seconds);
    out.put("concurrency", plan.concurrency());
    out.put("k", plan.k());
    out.put("p50Millis", percentile(lat, 0.50));
    out.put("p90Millis", percentile(lat, 0.90));
    out.put("p99Millis", percentile(lat, 0.99));
    out.put("maxMillis", n == 0 ? 0 : lat[n - 1] / 1e6);
    Map<String, Long> byStatus = new TreeMap<>();
    statuses.forEach((s, c) -> byStatus.put(Integer.toString(s), c.sum()));
    out.put("statuses", byStatus);
    out.put("transportErrors", transportErrors.sum());
    out.put("contractViolations", violations.sum());
    out.put("reloads", reloads.get());
    out.put("reloadFailures", reloadFailures.sum());
    if (!firstViolation.isEmpty()) {
      out.put("firstViolation", firstViolation);
    }
    return out;
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  /** Percent-encoding of a path segment. */
  static final class URLs {
    private URLs() {}

    static String segment(String s) {
      return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)
          .replace("+", "%20");
    }
  }
}
