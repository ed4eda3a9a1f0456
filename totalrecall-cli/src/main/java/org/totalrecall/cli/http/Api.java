package org.totalrecall.cli.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.totalrecall.data.IdIndex;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Aggregation;
import org.totalrecall.retrieval.Neighbors;
import org.totalrecall.retrieval.Recommender;
import org.totalrecall.train.FoldIn;

/**
 * The JSON API of {@code totalrecall serve}, independent of the HTTP server: a request (method, raw
 * path, raw query, the Authorization header, the body) in, a {@link Response} out. Every parameter
 * is validated: an unknown id is 404, a bad parameter or body is 400, a wrong method 405, each with
 * a JSON error body {@code {"error": {"status": ..., "message": ...}}}; nothing a client sends
 * yields a 500. Thread-safe: the served model is swapped atomically by {@link #reload}.
 *
 * <pre>
 *   GET  /v1/users/{id}/items?k=10&amp;include_seen=false     u2i
 *   GET  /v1/items/{id}/users?k=10&amp;include_seen=false     i2u
 *   POST /v1/items/users   {"items": [...], "aggregate": "mean|max|sum", "k": 10}   a group's audience
 *   GET  /v1/items/{id}/similar?k=10                         nearest items (cosine)
 *   POST /v1/recommend     {"history": [...], "user": "id" (optional), "k": 10}      fold-in
 *   GET  /healthz                                            the served model
 *   POST /v1/admin/reload  (Authorization: Bearer TOKEN)      reload the model file (and index)
 * </pre>
 */
final class Api {
  /** A response: status, JSON body, and the route it matched (for the metrics). */
  record Response(int status, Object body, String route, String allow) {}

  /** A client error: the status and a message for the JSON body. */
  static final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    ApiException(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** Loads a new served model; throws with a message naming the file when it cannot. */
  interface Loader {
    Served load() throws java.io.IOException;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicReference<Served> served;
  private final Loader loader;
  private final byte[] adminToken;
  private final int maxK;

  /**
   * @param adminToken the token {@code /v1/admin/reload} requires, or null to disable reloads
   * @param maxK the largest k a request may ask for
   */
  Api(Served initial, Loader loader, String adminToken, int maxK) {
    this.served = new AtomicReference<>(initial);
    this.loader = loader;
    this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
    this.maxK = maxK;
  }

  /** The model being served. */
  Served served() {
    return served.get();
  }

  /** Answers one request; never throws for anything the client sent. */
  Response handle(
      String method, String rawPath, String rawQuery, String authorization, byte[] body) {
    String route = "unmatched";
    try {
      List<String> seg = segments(rawPath);
      Served s = served.get();
      if (seg.equals(List.of("healthz"))) {
        route = "/healthz";
        requireMethod(method, "GET");
        return ok(route, health(s));
      }
      if (seg.size() == 4
          && seg.get(0).equals("v1")
          && seg.get(1).equals("users")
          && seg.get(3).equals("items")) {
        route = "/v1/users/{id}/items";
        requireMethod(method, "GET");
        Map<String, String> q = query(rawQuery, "k", "include_seen");
        return ok(route, userItems(s, seg.get(2), k(q), flag(q, "include_seen")));
      }
      if (seg.size() == 4
          && seg.get(0).equals("v1")
          && seg.get(1).equals("items")
          && seg.get(3).equals("users")) {
        route = "/v1/items/{id}/users";
        requireMethod(method, "GET");
        Map<String, String> q = query(rawQuery, "k", "include_seen");
        return ok(route, itemUsers(s, seg.get(2), k(q), flag(q, "include_seen")));
      }
      if (seg.size() == 4
          && seg.get(0).equals("v1")
          && seg.get(1).equals("items")
          && seg.get(3).equals("similar")) {
        route = "/v1/items/{id}/similar";
        requireMethod(method, "GET");
        Map<String, String> q = query(rawQuery, "k");
        return ok(route, similar(s, seg.get(2), k(q)));
      }
      if (seg.equals(List.of("v1", "items", "users"))) {
        route = "/v1/items/users";
        requireMethod(method, "POST");
        query(rawQuery);
        return ok(route, group(s, object(body)));
      }
      if (seg.equals(List.of("v1", "recommend"))) {
        route = "/v1/recommend";
        requireMethod(method, "POST");
        query(rawQuery);
        return ok(route, foldIn(s, object(body)));
      }
      if (seg.equals(List.of("v1", "admin", "reload"))) {
        route = "/v1/admin/reload";
        requireMethod(method, "POST");
        return reload(route, authorization);
      }
      throw new ApiException(404, "no such endpoint: " + rawPath);
    } catch (ApiException e) {
      Map<String, Object> err = new LinkedHashMap<>();
      err.put("status", e.status);
      err.put("message", e.getMessage());
      return new Response(
          e.status, Map.of("error", err), route, e.status == 405 ? allowed(route) : null);
    }
  }

  private static String allowed(String route) {
    return switch (route) {
      case "/v1/items/users", "/v1/recommend", "/v1/admin/reload" -> "POST";
      default -> "GET";
    };
  }

  private static Response ok(String route, Object body) {
    return new Response(200, body, route, null);
  }

  private static void requireMethod(String method, String wanted) {
    if (!wanted.equals(method)) {
      throw new ApiException(405, "method " + method + " is not allowed here; use " + wanted);
    }
  }

  /** The decoded path segments; an undecodable one is a 400. */
  static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String part : rawPath.split("/", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      try {
        out.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "path segment '" + part + "' is not valid percent-encoding");
      }
    }
    return out;
  }

  /** The query parameters, each at most once and each one of {@code allowed}. */
  static Map<String, String> query(String rawQuery, String... allowed) {
    Map<String, String> q = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return q;
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name;
      String value;
      try {
        name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "query parameter '" + pair + "' is not valid percent-encoding");
      }
      if (!Arrays.asList(allowed).contains(name)) {
        throw new ApiException(
            400,
            "unknown query parameter '"
                + name
                + "'"
                + (allowed.length == 0
                    ? ""
                    : "; this endpoint takes " + String.join(", ", allowed)));
      }
      if (q.put(name, value) != null) {
        throw new ApiException(400, "query parameter '" + name + "' is given twice");
      }
    }
    return q;
  }

  private int k(Map<String, String> q) {
    String v = q.get("k");
    return v == null ? 10 : k(v);
  }

  private int k(String v) {
    int k;
    try {
      k = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ApiException(400, "k must be an integer in 1.." + maxK + ", got '" + v + "'");
    }
    if (k < 1 || k > maxK) {
      throw new ApiException(400, "k must be in 1.." + maxK + ", got " + k);
    }
    return k;
  }

  private static boolean flag(Map<String, String> q, String name) {
    String v = q.get(name);
    if (v == null) {
      return false;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "1", "" -> true;
      case "false", "0" -> false;
      default -> throw new ApiException(400, name + " must be true or false, got '" + v + "'");
    };
  }

  private static JsonNode object(byte[] body) {
    if (body.length == 0) {
      throw new ApiException(400, "this endpoint needs a JSON object in the request body");
    }
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new ApiException(400, "the request body cannot be read: " + e.getMessage());
    }
    if (n == null || !n.isObject()) {
      throw new ApiException(400, "the request body must be a JSON object");
    }
    return n;
  }

  private static void onlyFields(JsonNode n, String... names) {
    var it = n.fieldNames();
    while (it.hasNext()) {
      String f = it.next();
      if (!Arrays.asList(names).contains(f)) {
        throw new ApiException(
            400, "unknown field '" + f + "'; this endpoint takes " + String.join(", ", names));
      }
    }
  }

  private int kField(JsonNode n) {
    JsonNode k = n.get("k");
    if (k == null) {
      return 10;
    }
    if (!k.isIntegralNumber()) {
      throw new ApiException(400, "k must be an integer in 1.." + maxK + ", got " + k);
    }
    return k(k.asText());
  }

  private static List<String> idList(JsonNode n, String field, boolean distinct) {
    JsonNode a = n.get(field);
    if (a == null || !a.isArray() || a.isEmpty()) {
      throw new ApiException(400, field + " must be a non-empty array of ids");
    }
    if (a.size() > 10_000) {
      throw new ApiException(400, field + " holds " + a.size() + " ids; at most 10000");
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode x : a) {
      if (!(x.isTextual() || x.isIntegralNumber())) {
        throw new ApiException(400, field + " must hold ids (strings or integers), got " + x);
      }
      ids.add(x.asText());
    }
    return distinct ? new ArrayList<>(new LinkedHashSet<>(ids)) : ids;
  }

  private static int resolve(IdIndex ids, String id, String kind) {
    int i = ids.indexOf(id);
    if (i < 0) {
      throw new ApiException(404, "unknown " + kind + " id '" + id + "'");
    }
    return i;
  }

  private static Map<String, Object> health(Served s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "ok");
    m.put("model", s.modelFile().toString());
    m.put("loadedAt", s.loadedAt().toString());
    m.put("users", s.model().numUsers());
    m.put("items", s.model().numItems());
    m.put("dim", s.model().dim());
    m.put("u2i", s.recommender().itemRetriever().describe());
    m.put("i2u", s.recommender().userRetriever().describe());
    return m;
  }

  private static Map<String, Object> userItems(Served s, String user, int k, boolean includeSeen) {
    FactorModel m = s.model();
    int u = resolve(m.userIds(), user, "user");
    Neighbors n = s.recommender().recommendItems(u, k, !includeSeen && m.seen() != null);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("user", user);
    out.put("k", k);
    out.put("retrieval", s.recommender().itemRetriever().describe());
    out.put("results", list(n, m.itemIds(), "item"));
    return out;
  }

  private static Map<String, Object> itemUsers(Served s, String item, int k, boolean includeSeen) {
    FactorModel m = s.model();
    int i = resolve(m.itemIds(), item, "item");
    Neighbors n = s.recommender().recommendUsers(i, k, !includeSeen && m.seen() != null);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("item", item);
    out.put("k", k);
    out.put("retrieval", s.recommender().userRetriever().describe());
    out.put("results", list(n, m.userIds(), "user"));
    return out;
  }

  private static Map<String, Object> similar(Served s, String item, int k) {
    FactorModel m = s.model();
    int i = resolve(m.itemIds(), item, "item");
    Neighbors n = s.recommender().similarItems(i, k);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("item", item);
    out.put("k", k);
    out.put("results", list(n, m.itemIds(), "item"));
    return out;
  }

  private Map<String, Object> group(Served s, JsonNode body) {
    onlyFields(body, "items", "aggregate", "k", "include_seen");
    FactorModel m = s.model();
    List<String> ids = idList(body, "items", true);
    int[] items = new int[ids.size()];
    for (int j = 0; j < items.length; j++) {
      items[j] = resolve(m.itemIds(), ids.get(j), "item");
    }
    Aggregation agg = Aggregation.MEAN;
    JsonNode a = body.get("aggregate");
    if (a != null) {
      if (!a.isTextual()) {
        throw new ApiException(400, "aggregate must be mean, max or sum, got " + a);
      }
      agg =
          switch (a.asText().toLowerCase(Locale.ROOT)) {
            case "mean" -> Aggregation.MEAN;
            case "max" -> Aggregation.MAX;
            case "sum" -> Aggregation.SUM;
            default ->
                throw new ApiException(
                    400, "aggregate must be mean, max or sum, got '" + a.asText() + "'");
          };
    }
    boolean includeSeen = false;
    JsonNode inc = body.get("include_seen");
    if (inc != null) {
      if (!inc.isBoolean()) {
        throw new ApiException(400, "include_seen must be true or false, got " + inc);
      }
      includeSeen = inc.asBoolean();
    }
    int k = kField(body);
    Neighbors n =
        s.recommender().recommendUsersForItems(items, k, agg, !includeSeen && m.seen() != null);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", ids);
    out.put("aggregate", agg.name().toLowerCase(Locale.ROOT));
    out.put("k", k);
    String users = s.recommender().userRetriever().describe();
    out.put(
        "retrieval",
        users.equals("exact")
            ? "exact (group scores)"
            : users + " for the candidates, exact group scores");
    out.put("results", list(n, m.userIds(), "user"));
    return out;
  }

  private Map<String, Object> foldIn(Served s, JsonNode body) {
    onlyFields(body, "history", "user", "k");
    FactorModel m = s.model();
    List<String> history = idList(body, "history", false);
    int[] items = new int[history.size()];
    for (int j = 0; j < items.length; j++) {
      items[j] = resolve(m.itemIds(), history.get(j), "item");
    }
    int u = -1;
    JsonNode user = body.get("user");
    if (user != null) {
      if (!(user.isTextual() || user.isIntegralNumber())) {
        throw new ApiException(400, "user must be an id (a string or an integer), got " + user);
      }
      u = resolve(m.userIds(), user.asText(), "user");
    }
    int k = kField(body);
    FoldIn.Result folded;
    try {
      folded = FoldIn.user(m, items, u);
    } catch (IllegalArgumentException e) {
      throw new ApiException(422, "cannot fold in: " + e.getMessage());
    }
    int[] never = items;
    if (u >= 0 && m.seen() != null) {
      int[] seen = Arrays.copyOfRange(m.seen().cols(), m.seen().start(u), m.seen().end(u));
      never = Arrays.copyOf(items, items.length + seen.length);
      System.arraycopy(seen, 0, never, items.length, seen.length);
    }
    Recommender rec = s.recommender();
    Neighbors n = rec.recommendItems(folded.vector(), k, never);
    Map<String, Object> out = new LinkedHashMap<>();
    if (u >= 0) {
      out.put("user", user.asText());
    }
    out.put("history", history);
    out.put("foldIn", folded.method());
    out.put("k", k);
    out.put("retrieval", rec.itemRetriever().describe());
    out.put("results", list(n, m.itemIds(), "item"));
    return out;
  }

  private Response reload(String route, String authorization) {
    if (adminToken == null) {
      throw new ApiException(
          404, "reloading is disabled: start the server with --admin-token-file");
    }
    String prefix = "Bearer ";
    byte[] given =
        authorization != null && authorization.startsWith(prefix)
            ? authorization.substring(prefix.length()).getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    if (!MessageDigest.isEqual(given, adminToken)) {
      throw new ApiException(
          authorization == null ? 401 : 403,
          "reloading needs the admin token: Authorization: Bearer TOKEN");
    }
    Served next;
    try {
      next = loader.load();
    } catch (java.io.IOException | RuntimeException e) {
      throw new ApiException(
          409,
          "reload failed, still serving the model loaded at "
              + served.get().loadedAt()
              + ": "
              + e.getMessage());
    }
    served.set(next);
    return ok(route, health(next));
  }

  private static List<Map<String, Object>> list(Neighbors n, IdIndex ids, String field) {
    List<Map<String, Object>> out = new ArrayList<>(n.size());
    for (int r = 0; r < n.size(); r++) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put(field, ids.idOf(n.index(r)));
      e.put("score", n.score(r));
      out.add(e);
    }
    return out;
  }
}
