package org.totalrecall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;

/**
 * recommend / audience / similar on a hand-built model whose answers are known: users and items
 * belong to one of 4 clusters and their vectors point at their cluster's axis (plus a small per-row
 * offset that orders rows within a cluster), so every top list must stay in the query's cluster and
 * skip what the user or item has in training.
 */
class RetrievalCommandsTest {
  static final int CLUSTERS = 4;
  static final int USERS = 40;
  static final int ITEMS = 24;

  @TempDir static Path dir;
  static Path modelFile;

  static int clusterOfUser(int u) {
    return u % CLUSTERS;
  }

  static int clusterOfItem(int i) {
    return i % CLUSTERS;
  }

  @BeforeAll
  static void writeModel() throws IOException {
    int dim = CLUSTERS + 1;
    EmbeddingTable users = new EmbeddingTable(USERS, dim);
    EmbeddingTable items = new EmbeddingTable(ITEMS, dim);
    for (int u = 0; u < USERS; u++) {
      users.data()[users.offset(u) + clusterOfUser(u)] = 1f;
      users.data()[users.offset(u) + CLUSTERS] = 0.01f * u;
    }
    for (int i = 0; i < ITEMS; i++) {
      items.data()[items.offset(i) + clusterOfItem(i)] = 1f;
      items.data()[items.offset(i) + CLUSTERS] = 0.01f * i;
    }
    // every user has seen the first two items of its cluster
    int[] rows = new int[USERS * 2];
    int[] cols = new int[USERS * 2];
    for (int u = 0; u < USERS; u++) {
      rows[2 * u] = u;
      cols[2 * u] = clusterOfUser(u);
      rows[2 * u + 1] = u;
      cols[2 * u + 1] = clusterOfUser(u) + CLUSTERS;
    }
    Interactions seen = Interactions.fromPairs(USERS, ITEMS, rows, cols, null, null, rows.length);
    List<String> userIds = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      userIds.add("u" + u);
    }
    List<String> itemIds = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      itemIds.add("movie-" + i);
    }
    modelFile = dir.resolve("clusters.trm");
    ModelFormat.write(
        new FactorModel(
            users, items, IdIndex.of(userIds), IdIndex.of(itemIds), Scorer.dot(), null, seen),
        modelFile);
  }

  static int index(String id) {
    return Integer.parseInt(id.substring(id.lastIndexOf(id.startsWith("u") ? 'u' : '-') + 1));
  }

  @Test
  void recommendReturnsUnseenInClusterItemsBestFirst() {
    CliRunner.Result r =
        CliRunner.run(
            "recommend", "--model", modelFile.toString(), "--user", "u6", "--k", "3", "--json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode doc = r.json();
    assertEquals("recommend", doc.get("command").asText());
    assertEquals("u6", doc.get("user").asText());
    assertEquals(2, doc.get("excluded").asInt());
    JsonNode results = doc.get("results");
    assertEquals(3, results.size());
    // cluster 2 items are 2, 6, 10, 14, 18, 22; 2 and 6 are seen; the offset favours higher ids
    assertEquals(
        List.of("movie-22", "movie-18", "movie-14"),
        List.of(
            results.get(0).get("item").asText(),
            results.get(1).get("item").asText(),
            results.get(2).get("item").asText()));
    assertTrue(results.get(0).get("score").asDouble() >= results.get(1).get("score").asDouble());
    assertEquals(1, results.get(0).get("rank").asInt());
  }

  @Test
  void includeSeenLetsTrainingItemsBack() {
    CliRunner.Result r =
        CliRunner.run(
            "recommend",
            "--model",
            modelFile.toString(),
            "--user",
            "u6",
            "--k",
            "6",
            "--include-seen",
            "--json");
    assertEquals(0, r.exitCode(), r.toString());
    List<String> got = new ArrayList<>();
    r.json().get("results").forEach(n -> got.add(n.get("item").asText()));
    assertTrue(got.contains("movie-2") && got.contains("movie-6"), got.toString());
  }

  @Test
  void audienceOfAnItemIsItsCluster() {
    CliRunner.Result r =
        CliRunner.run(
            "audience", "--model", modelFile.toString(), "--item", "movie-9", "--k", "5", "--json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode results = r.json().get("results");
    assertEquals(5, results.size());
    for (JsonNode n : results) {
      assertEquals(1, clusterOfUser(index(n.get("user").asText())), n.toString());
    }
  }

  @Test
  void audienceExcludesTheItemsTrainingUsersUnlessAsked() {
    // movie-1 is in the training set of every cluster-1 user
    CliRunner.Result r =
        CliRunner.run(
            "audience", "--model", modelFile.toString(), "--item", "movie-1", "--k", "5", "--json");
    assertEquals(0, r.exitCode(), r.toString());
    for (JsonNode n : r.json().get("results")) {
      assertTrue(clusterOfUser(index(n.get("user").asText())) != 1, n.toString());
    }
    CliRunner.Result all =
        CliRunner.run(
            "audience",
            "--model",
            modelFile.toString(),
            "--item",
            "movie-1",
            "--k",
            "5",
            "--include-seen",
            "--json");
    for (JsonNode n : all.json().get("results")) {
      assertEquals(1, clusterOfUser(index(n.get("user").asText())), n.toString());
    }
  }

  @Test
  void audienceOfAGroupAggregatesOverItsItems() {
    CliRunner.Result r =
        CliRunner.run(
            "audience",
            "--model",
            modelFile.toString(),
            "--items",
            "movie-11,movie-15,movie-19",
            "--aggregate",
            "max",
            "--k",
            "4",
            "--json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode doc = r.json();
    assertEquals("max", doc.get("aggregate").asText());
    assertEquals(3, doc.get("items").size());
    for (JsonNode n : doc.get("results")) {
      assertEquals(3, clusterOfUser(index(n.get("user").asText())), n.toString());
    }
  }

  @Test
  void similarItemsShareTheClusterAndExcludeTheQuery() {
    CliRunner.Result r =
        CliRunner.run(
            "similar", "--model", modelFile.toString(), "--item", "movie-5", "--k", "5", "--json");
    assertEquals(0, r.exitCode(), r.toString());
    for (JsonNode n : r.json().get("results")) {
      int i = index(n.get("item").asText());
      assertEquals(1, clusterOfItem(i), n.toString());
      assertTrue(i != 5);
    }
  }

  @Test
  void tableOutputHasRankIdAndScoreColumns() {
    CliRunner.Result r =
        CliRunner.run("recommend", "--model", modelFile.toString(), "--user", "u4", "--k", "2");
    assertEquals(0, r.exitCode(), r.toString());
    String[] lines = r.out().lines().toArray(String[]::new);
    assertTrue(lines[0].startsWith("top 2 items for user u4"), lines[0]);
    assertTrue(lines[1].matches("\\s*rank\\s+item\\s+score\\s*"), lines[1]);
    assertTrue(lines[2].matches("\\s*1\\s+movie-20\\s+[-0-9.]+\\s*"), lines[2]);
  }

  @Test
  void unknownUserIdIsADataErrorNamingTheId() {
    CliRunner.Result r =
        CliRunner.run("recommend", "--model", modelFile.toString(), "--user", "nobody", "--json");
    assertEquals(ExitCodes.DATA, r.exitCode(), r.toString());
    assertTrue(r.err().startsWith("totalrecall: unknown user id \"nobody\""), r.err());
    assertEquals("", r.out());
  }

  @Test
  void unknownItemInAGroupIsADataErrorNamingTheId() {
    CliRunner.Result r =
        CliRunner.run("audience", "--model", modelFile.toString(), "--items", "movie-1,movie-99");
    assertEquals(ExitCodes.DATA, r.exitCode(), r.toString());
    assertTrue(r.err().contains("unknown item id \"movie-99\""), r.err());
  }

  @Test
  void corruptedModelFileIsRefusedNamingTheSection() throws IOException {
    byte[] bytes = Files.readAllBytes(modelFile);
    bytes[bytes.length - 60] ^= 0x55; // inside the seen interactions section
    Path bad = dir.resolve("bad.trm");
    Files.write(bad, bytes);
    CliRunner.Result r = CliRunner.run("recommend", "--model", bad.toString(), "--user", "u1");
    assertEquals(ExitCodes.DATA, r.exitCode(), r.toString());
    assertTrue(r.err().contains("bad.trm: section 'seen interactions' checksum mismatch"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
  }

  @Test
  void missingModelFileIsNoInput() {
    CliRunner.Result r =
        CliRunner.run(
            "similar", "--model", dir.resolve("absent.trm").toString(), "--item", "movie-1");
    assertEquals(ExitCodes.NO_INPUT, r.exitCode(), r.toString());
    assertTrue(r.err().contains("absent.trm"), r.err());
  }

  @Test
  void nonPositiveKIsAUsageError() {
    CliRunner.Result r =
        CliRunner.run("recommend", "--model", modelFile.toString(), "--user", "u1", "--k", "0");
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertTrue(r.err().contains("--k must be > 0"), r.err());
  }

  @Test
  void itemAndItemsTogetherIsAUsageError() {
    CliRunner.Result r =
        CliRunner.run(
            "audience", "--model", modelFile.toString(), "--item", "movie-1", "--items", "movie-2");
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
  }
}
