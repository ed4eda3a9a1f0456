package org.totalrecall.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.SyntheticData;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Neighbors;
import org.totalrecall.retrieval.Recommender;
import org.totalrecall.train.TrainConfig;
import org.totalrecall.train.Trainer;

/**
 * The HTTP service through a real client on loopback: answers, every error case, metrics and
 * reloads.
 */
class ServerTest {
  static final String TOKEN = "0123456789abcdef-test-token";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path modelFile;
  static Path otherFile;
  static Server server;
  static HttpClient client;
  static String base;

  static FactorModel train(long seed) {
    SyntheticData.Spec spec = new SyntheticData.Spec(200, 150, 5, 10, 0.9, 3L);
    var data = SyntheticData.generate(spec);
    TrainConfig c = TrainConfig.defaults().withDim(8).withEpochs(2).withThreads(1).withSeed(seed);
    return Trainer.train(data.train(), data.users(), data.items(), c, null, null).model();
  }

  @BeforeAll
  static void start() throws IOException {
    modelFile = dir.resolve("m.trm");
    otherFile = dir.resolve("other.trm");
    ModelFormat.write(train(1), modelFile);
    ModelFormat.write(train(2), otherFile);
    server = Server.create(modelFile, null, 100, 1, "127.0.0.1", 0, TOKEN, 100, 4096);
    server.start();
    client = HttpClient.newHttpClient();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String body, String auth)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends one request line (and a Host header) on a raw socket and returns the response's first
   * line.
   */
  static String raw(String requestLine) throws IOException {
    try (java.net.Socket s =
        new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
      s.getOutputStream()
          .write(
              (requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      return new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  s.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1))
          .readLine();
    }
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  @Test
  void answersEqualTheLibrarysBothWays() throws Exception {
    FactorModel m = ModelFormat.read(modelFile);
    Recommender rec = new Recommender(m, 1);
    HttpResponse<String> r = get("/v1/users/" + m.userIds().idOf(7) + "/items?k=5");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    Neighbors n = rec.recommendItems(7, 5, true);
    JsonNode results = json(r).get("results");
    assertEquals(n.size(), results.size());
    for (int k = 0; k < n.size(); k++) {
      assertEquals(m.itemIds().idOf(n.index(k)), results.get(k).get("item").asText());
    }
    r = get("/v1/items/" + m.itemIds().idOf(3) + "/users?k=4&include_seen=true");
    assertEquals(200, r.statusCode(), r.body());
    Neighbors u = rec.recommendUsers(3, 4, false);
    for (int k = 0; k < u.size(); k++) {
      assertEquals(
          m.userIds().idOf(u.index(k)), json(r).get("results").get(k).get("user").asText());
    }
    r =
        post(
            "/v1/items/users",
            "{\"items\": [\""
                + m.itemIds().idOf(1)
                + "\", \""
                + m.itemIds().idOf(2)
                + "\"], \"aggregate\": \"max\", \"k\": 3}",
            null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(3, json(r).get("results").size());
    r = post("/v1/recommend", "{\"history\": [\"" + m.itemIds().idOf(1) + "\"], \"k\": 3}", null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(3, json(r).get("results").size());
    r = get("/v1/items/" + m.itemIds().idOf(1) + "/similar?k=2");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("ok", json(get("/healthz")).get("status").asText());
  }

  @Test
  void everyBadRequestIsAClientErrorWithAJsonBody() throws Exception {
    String user = "/v1/users/" + ModelFormat.read(modelFile).userIds().idOf(0);
    Object[][] gets = {
      {"/v1/users/nobody/items", 404},
      {"/v1/items/nothing/users", 404},
      {"/v1/nope", 404},
      {"/", 404},
      {user + "/items?k=0", 400},
      {user + "/items?k=abc", 400},
      {user + "/items?k=101", 400},
      {user + "/items?k=99999999999", 400},
      {user + "/items?kk=3", 400},
      {user + "/items?k=3&k=4", 400},
      {user + "/items?include_seen=maybe", 400},
      {"/v1/items/users", 405},
      {"/v1/recommend", 405},
    };
    for (Object[] c : gets) {
      HttpResponse<String> r = get((String) c[0]);
      assertEquals(c[1], r.statusCode(), c[0] + ": " + r.body());
      assertEquals((int) c[1], json(r).get("error").get("status").asInt(), r.body());
    }
    String[][] posts = {
      {"/v1/items/users", ""},
      {"/v1/items/users", "{"},
      {"/v1/items/users", "[1, 2]"},
      {"/v1/items/users", "{}"},
      {"/v1/items/users", "{\"items\": []}"},
      {"/v1/items/users", "{\"items\": [{}]}"},
      {"/v1/items/users", "{\"items\": [\"ITEM\"], \"aggregate\": \"median\"}"},
      {"/v1/items/users", "{\"items\": [\"ITEM\"], \"k\": \"ten\"}"},
      {"/v1/items/users", "{\"items\": [\"ITEM\"], \"extra\": 1}"},
      {"/v1/recommend", "{\"history\": \"ITEM\"}"},
      {"/v1/recommend", "{\"history\": [\"ITEM\"], \"k\": 0}"},
      {"/v1/recommend", "{\"history\": [\"ITEM\"], \"user\": [1]}"},
      {"/v1/recommend", "x".repeat(5000)},
      {"/healthz", "{}"},
    };
    String item = ModelFormat.read(modelFile).itemIds().idOf(1);
    for (String[] c : posts) {
      HttpResponse<String> r = post(c[0], c[1].replace("ITEM", item), null);
      assertTrue(
          r.statusCode() == 400 || r.statusCode() == 405,
          c[0] + " " + c[1] + ": " + r.statusCode() + " " + r.body());
      assertTrue(json(r).get("error").get("message").asText().length() > 5, r.body());
    }
    assertEquals(
        404, post("/v1/recommend", "{\"history\": [\"no-such-item\"]}", null).statusCode());
    // escapes no client library would send: through a raw socket
    assertTrue(raw("GET " + user + "/items?k=%zz HTTP/1.1").startsWith("HTTP/1.1 400"));
    assertTrue(raw("GET /v1/users/%zz/items HTTP/1.1").startsWith("HTTP/1.1 400"));
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/healthz"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, r.statusCode());
    assertEquals("GET", r.headers().firstValue("Allow").orElse(""));
  }

  @Test
  void randomMalformedRequestsNeverGetA5xx() throws Exception {
    SplittableRandom rng = new SplittableRandom(9);
    String[] paths = {
      "/v1/users/",
      "/v1/items/",
      "/v1/items/users",
      "/v1/recommend",
      "/healthz",
      "/v1/admin/reload",
      "/x/"
    };
    String[] tails = {
      "", "items", "users", "similar", "%", "%2F", "..", "a/b", "1/items", "1/users", "0/similar"
    };
    String alphabet = "ab01=&?%/{}[]\",:k-+ \u00e9";
    for (int n = 0; n < 300; n++) {
      StringBuilder p =
          new StringBuilder(paths[rng.nextInt(paths.length)])
              .append(tails[rng.nextInt(tails.length)]);
      if (rng.nextBoolean()) {
        p.append("?k=").append(rng.nextInt(-5, 2000));
      }
      StringBuilder body = new StringBuilder();
      for (int c = rng.nextInt(40); c > 0; c--) {
        body.append(alphabet.charAt(rng.nextInt(alphabet.length())));
      }
      String path = p.toString().replace(" ", "%20").replace("\u00e9", "%C3%A9");
      URI uri;
      try {
        uri = URI.create(base + path);
      } catch (IllegalArgumentException e) {
        continue; // not even a URI: the client cannot send it
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(uri);
      HttpRequest req =
          rng.nextBoolean()
              ? b.GET().build()
              : b.POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
      HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
      assertTrue(
          r.statusCode() < 500,
          req.method() + " " + path + " " + body + ": " + r.statusCode() + " " + r.body());
    }
  }

  @Test
  void metricsHaveALatencyHistogramPerRoute() throws Exception {
    get("/healthz");
    HttpResponse<String> r = get("/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("totalrecall_http_requests_seconds_bucket{"), r.body());
    assertTrue(r.body().contains("route=\"/healthz\""), r.body());
  }

  @Test
  void reloadNeedsTheTokenSwapsWholeModelsAndLosesNoRequestUnderLoad() throws Exception {
    assertEquals(401, post("/v1/admin/reload", "", null).statusCode());
    assertEquals(403, post("/v1/admin/reload", "", "Bearer wrong").statusCode());
    String before = json(get("/healthz")).get("loadedAt").asText();
    // requests keep flowing while the model file is replaced and reloaded, twice
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    List<Thread> load = new ArrayList<>();
    String user = ModelFormat.read(modelFile).userIds().idOf(3);
    for (int t = 0; t < 4; t++) {
      Thread th =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int n = 0; n < 60; n++) {
                      try {
                        HttpResponse<String> r = get("/v1/users/" + user + "/items?k=5");
                        if (r.statusCode() != 200) {
                          failures.incrementAndGet();
                        }
                        done.incrementAndGet();
                      } catch (Exception e) {
                        failures.incrementAndGet();
                      }
                    }
                  });
      load.add(th);
    }
    Path backup = dir.resolve("backup.trm");
    Files.copy(modelFile, backup, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(otherFile, modelFile, StandardCopyOption.REPLACE_EXISTING);
    HttpResponse<String> r = post("/v1/admin/reload", "", "Bearer " + TOKEN);
    assertEquals(200, r.statusCode(), r.body());
    Files.copy(backup, modelFile, StandardCopyOption.REPLACE_EXISTING);
    assertEquals(200, post("/v1/admin/reload", "", "Bearer " + TOKEN).statusCode());
    for (Thread th : load) {
      th.join();
    }
    assertEquals(0, failures.get(), "requests lost during reloads");
    assertEquals(240, done.get());
    assertTrue(!before.equals(json(get("/healthz")).get("loadedAt").asText()));
    // a corrupt file: the reload fails and the old model stays
    byte[] good = Files.readAllBytes(modelFile);
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 0x40;
    Files.write(modelFile, bad);
    HttpResponse<String> failed = post("/v1/admin/reload", "", "Bearer " + TOKEN);
    assertEquals(409, failed.statusCode(), failed.body());
    assertTrue(failed.body().contains("still serving"), failed.body());
    assertEquals(200, get("/v1/users/" + user + "/items?k=5").statusCode());
    Files.write(modelFile, good);
  }
}
