package org.totalrecall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.SyntheticData;

/**
 * {@code index}, the retrieval commands' {@code --index}, and {@code bench ann}, end to end on
 * small data.
 */
class IndexCliTest {
  static final SyntheticData.Spec SPEC = new SyntheticData.Spec(300, 200, 5, 12, 0.9, 3L);

  @TempDir static Path dir;
  static Path model;
  static Path other;
  static Path index;

  @BeforeAll
  static void trainAndIndex() throws IOException {
    Path ncf = dir.resolve("syn-ncf");
    NcfWriter.write(SyntheticData.generate(SPEC), ncf, "syn", 99, 17L);
    model = dir.resolve("syn.trm");
    other = dir.resolve("other.trm");
    for (Path m : new Path[] {model, other}) {
      CliRunner.Result r =
          CliRunner.run(
              "train",
              "--data",
              ncf.toString(),
              "--dim",
              "16",
              "--epochs",
              m.equals(model) ? "3" : "4",
              "--threads",
              "1",
              "--seed",
              m.equals(model) ? "1" : "2",
              "--model",
              m.toString());
      assertEquals(0, r.exitCode(), r.toString());
    }
    index = dir.resolve("syn.idx");
    CliRunner.Result r =
        CliRunner.run("index", "--model", model.toString(), "--out", index.toString(), "--json");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(200, r.json().get("u2i").get("vectors").asInt());
    assertEquals(300, r.json().get("i2u").get("vectors").asInt());
    assertTrue(Files.exists(index.resolve("index.properties")));
  }

  private static JsonNode json(String... args) {
    CliRunner.Result r = CliRunner.run(args);
    assertEquals(0, r.exitCode(), r.toString());
    return r.json();
  }

  private static String ids(JsonNode doc, String field) {
    StringBuilder b = new StringBuilder();
    for (JsonNode n : doc.get("results")) {
      b.append(n.get(field).asText()).append(',');
    }
    return b.toString();
  }

  @Test
  void aWideSearchThroughTheIndexAnswersAsExactSearchDoes() {
    for (String user : new String[] {"0", "17", "250"}) {
      JsonNode exact = json("recommend", "--model", model.toString(), "--user", user, "--json");
      JsonNode hnsw =
          json(
              "recommend",
              "--model",
              model.toString(),
              "--user",
              user,
              "--index",
              index.toString(),
              "--ef",
              "200",
              "--json");
      assertTrue(hnsw.get("retrieval").asText().startsWith("hnsw"), hnsw.toString());
      assertEquals("exact", exact.get("retrieval").asText());
      assertEquals(ids(exact, "item"), ids(hnsw, "item"), "user " + user);
    }
    JsonNode exact = json("audience", "--model", model.toString(), "--item", "3", "--json");
    JsonNode hnsw =
        json(
            "audience",
            "--model",
            model.toString(),
            "--item",
            "3",
            "--index",
            index.toString(),
            "--ef",
            "300",
            "--json");
    assertEquals(ids(exact, "user"), ids(hnsw, "user"));
    JsonNode forced =
        json(
            "audience",
            "--model",
            model.toString(),
            "--item",
            "3",
            "--index",
            index.toString(),
            "--exact",
            "--json");
    assertEquals("exact", forced.get("retrieval").asText());
    JsonNode similar =
        json(
            "similar",
            "--model",
            model.toString(),
            "--item",
            "3",
            "--index",
            index.toString(),
            "--ef",
            "200",
            "--json");
    JsonNode similarExact = json("similar", "--model", model.toString(), "--item", "3", "--json");
    assertEquals(ids(similarExact, "item"), ids(similar, "item"));
  }

  @Test
  void anIndexOfAnotherModelIsRefused() {
    CliRunner.Result r =
        CliRunner.run(
            "recommend", "--model", other.toString(), "--user", "0", "--index", index.toString());
    assertEquals(ExitCodes.DATA, r.exitCode(), r.toString());
    assertTrue(r.err().contains("built for model file 'syn.trm'"), r.err());
    CliRunner.Result missing =
        CliRunner.run(
            "recommend",
            "--model",
            model.toString(),
            "--user",
            "0",
            "--index",
            dir.resolve("nope").toString());
    assertEquals(ExitCodes.NO_INPUT, missing.exitCode(), missing.toString());
    CliRunner.Result notIndex =
        CliRunner.run(
            "recommend", "--model", model.toString(), "--user", "0", "--index", dir.toString());
    assertEquals(ExitCodes.DATA, notIndex.exitCode(), notIndex.toString());
    assertTrue(notIndex.err().contains("not an index directory"), notIndex.err());
  }

  @Test
  void badFlagsAreUsageErrors() {
    String[][] cases = {
      {"recommend", "--model", "M", "--user", "0", "--ef", "10"},
      {"recommend", "--model", "M", "--user", "0", "--index", "I", "--ef", "0"},
      {"index", "--model", "M", "--out", "O", "--direction", "sideways"},
      {"index", "--model", "M", "--out", "O", "--m", "1"},
      {"index", "--model", "M", "--out", "O", "--ef-construction", "0"},
      {"bench", "ann", "--model", "M", "--ef", "10,0"},
      {"serve", "--model", "M", "--port", "70000"},
      {"serve", "--model", "M", "--max-k", "0"},
      {"bench", "http", "--model", "M", "--malformed", "1.5"},
    };
    for (String[] c : cases) {
      String[] args = c.clone();
      for (int i = 0; i < args.length; i++) {
        args[i] =
            args[i].equals("M")
                ? model.toString()
                : args[i].equals("I")
                    ? index.toString()
                    : args[i].equals("O") ? dir.resolve("o").toString() : args[i];
      }
      CliRunner.Result r = CliRunner.run(args);
      assertEquals(ExitCodes.USAGE, r.exitCode(), String.join(" ", c) + ": " + r);
      assertEquals(1, r.err().lines().count(), String.join(" ", c) + ": " + r.err());
    }
  }

  @Test
  void diagnoseSamplerMeasuresTheDistanceToTheSoftmax() throws java.io.IOException {
    JsonNode uniform =
        json(
            "diagnose-sampler",
            "--model",
            model.toString(),
            "--sampler",
            "uniform",
            "--users",
            "20",
            "--draws",
            "5000",
            "--json");
    JsonNode dns =
        json(
            "diagnose-sampler",
            "--model",
            model.toString(),
            "--sampler",
            "dns",
            "--option",
            "candidates=5",
            "--users",
            "20",
            "--draws",
            "5000",
            "--json");
    for (JsonNode d : new JsonNode[] {uniform, dns}) {
      double tv = d.get("meanTotalVariation").asDouble();
      assertTrue(tv > 0 && tv < 1, d.toString());
      assertTrue(d.get("meanKlEmpiricalToSoftmax").asDouble() >= 0, d.toString());
      assertEquals(20, d.get("users").asInt());
    }
    // a score-aware sampler leans towards what the model scores high: closer to its softmax than
    // uniform draws
    assertTrue(
        dns.get("meanTotalVariation").asDouble() < uniform.get("meanTotalVariation").asDouble(),
        dns + " against " + uniform);
    // AdaSIR's pools, refreshed every 10 draws as in its Fig. 2: closer still than uniform draws
    JsonNode adasir =
        json(
            "diagnose-sampler",
            "--model",
            model.toString(),
            "--sampler",
            "adasir",
            "--option",
            "pool=100",
            "--epoch-every",
            "10",
            "--users",
            "20",
            "--draws",
            "5000",
            "--json");
    assertEquals(10, adasir.get("epochEvery").asInt());
    assertTrue(
        adasir.get("meanTotalVariation").asDouble() < uniform.get("meanTotalVariation").asDouble(),
        adasir + " against " + uniform);
    assertEquals(
        ExitCodes.USAGE,
        CliRunner.run(
                "diagnose-sampler",
                "--model",
                model.toString(),
                "--sampler",
                "adasir",
                "--epoch-every",
                "-1")
            .exitCode());
    if (org.totalrecall.io.ModelFormat.read(model).scorer().isCosine()) {
      CliRunner.Result kernel =
          CliRunner.run("diagnose-sampler", "--model", model.toString(), "--sampler", "kernel");
      assertEquals(ExitCodes.USAGE, kernel.exitCode(), kernel.toString());
      assertTrue(kernel.err().contains("--scorer dot"), kernel.err());
    }
    JsonNode one =
        json(
            "diagnose-sampler",
            "--model",
            model.toString(),
            "--sampler",
            "uniform",
            "--user",
            "3",
            "--json");
    assertEquals(1, one.get("perUser").size());
    assertEquals(
        ExitCodes.USAGE,
        CliRunner.run("diagnose-sampler", "--model", model.toString(), "--sampler", "in-batch")
            .exitCode());
    assertEquals(
        ExitCodes.USAGE,
        CliRunner.run(
                "diagnose-sampler",
                "--model",
                model.toString(),
                "--sampler",
                "dns",
                "--option",
                "candidates")
            .exitCode());
    assertEquals(
        ExitCodes.USAGE,
        CliRunner.run(
                "diagnose-sampler",
                "--model",
                model.toString(),
                "--sampler",
                "dns",
                "--option",
                "candidates=0")
            .exitCode());
  }

  @Test
  void serveRefusesAMissingModelAndAnIndexOfAnotherModel() {
    assertEquals(
        ExitCodes.NO_INPUT,
        CliRunner.run("serve", "--model", dir.resolve("none.trm").toString()).exitCode());
    CliRunner.Result r =
        CliRunner.run(
            "serve", "--model", other.toString(), "--index", index.toString(), "--port", "0");
    assertEquals(ExitCodes.DATA, r.exitCode(), r.toString());
  }

  @Test
  void benchAnnReportsRecallAndSpeedBothWays() {
    JsonNode doc =
        json(
                "bench",
                "ann",
                "--model",
                model.toString(),
                "--index",
                index.toString(),
                "--ef",
                "5,300",
                "--queries",
                "100",
                "--threads",
                "1")
            .get("runs")
            .get(0);
    for (String d : new String[] {"u2i", "i2u"}) {
      JsonNode rows = doc.get(d).get("hnsw");
      assertEquals(2, rows.size());
      double wide = rows.get(1).get("recall@10").asDouble();
      assertEquals(1.0, wide, 1e-9, d + " recall at ef 300 over at most 300 candidates");
      assertTrue(rows.get(0).get("recall@10").asDouble() <= wide);
      assertTrue(doc.get(d).get("exact.qps").asDouble() > 0);
    }
  }

  @Test
  void audienceAllIsTheInversionOfRecommendAllCutPerItem() throws IOException {
    Path recs = dir.resolve("recs.csv");
    Path aud = dir.resolve("aud.csv");
    JsonNode r =
        json(
            "recommend-all",
            "--model",
            model.toString(),
            "--k",
            "4",
            "--out",
            recs.toString(),
            "--json",
            "--threads",
            "2");
    assertEquals(300L * 4, r.get("rows").asLong());
    JsonNode a =
        json(
            "audience-all",
            "--model",
            model.toString(),
            "--per-user",
            "4",
            "--per-item",
            "3",
            "--out",
            aud.toString(),
            "--json",
            "--threads",
            "2");
    // invert recommend-all's rows by hand: per item, users by score descending (ties: smaller
    // user), cut at 3
    java.util.Map<String, java.util.List<String[]>> byItem = new java.util.TreeMap<>();
    java.util.List<String> lines = Files.readAllLines(recs);
    assertEquals("user,item,score,rank", lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      byItem.computeIfAbsent(f[1], x -> new java.util.ArrayList<>()).add(f);
    }
    java.util.Set<String> expected = new java.util.TreeSet<>();
    java.util.Set<String> usersCovered = new java.util.HashSet<>();
    for (var e : byItem.entrySet()) {
      java.util.List<String[]> l = e.getValue();
      l.sort(
          java.util.Comparator.<String[]>comparingDouble(f -> -Float.parseFloat(f[2]))
              .thenComparingInt(f -> Integer.parseInt(f[0])));
      for (int k = 0; k < Math.min(3, l.size()); k++) {
        expected.add(e.getKey() + "," + l.get(k)[0] + "," + l.get(k)[2] + "," + (k + 1));
        usersCovered.add(l.get(k)[0]);
      }
    }
    java.util.List<String> got = Files.readAllLines(aud);
    assertEquals("item,user,score,rank", got.get(0));
    assertEquals(expected, new java.util.TreeSet<>(got.subList(1, got.size())));
    assertEquals(expected.size(), a.get("rows").asInt());
    assertEquals(usersCovered.size(), a.get("usersCovered").asInt());
    JsonNode syn =
        json(
            "audience-all",
            "--synthetic",
            "300x500",
            "--per-user",
            "2",
            "--per-item",
            "5",
            "--out",
            dir.resolve("syn.csv").toString(),
            "--json",
            "--threads",
            "1");
    assertEquals(300, syn.get("users").asInt());
    assertTrue(syn.get("rows").asInt() <= 600 && syn.get("rows").asInt() > 0, syn.toString());
    assertTrue(syn.get("peakHeapBytes").asLong() > 0, syn.toString());
    assertEquals(
        ExitCodes.USAGE,
        CliRunner.run("audience-all", "--synthetic", "300x", "--out", aud.toString()).exitCode());
    assertEquals(
        ExitCodes.USAGE,
        CliRunner.run(
                "audience-all",
                "--model",
                model.toString(),
                "--synthetic",
                "3x3",
                "--out",
                aud.toString())
            .exitCode());
    for (String[] bad : new String[][] {{"--per-user", "0"}, {"--per-item", "-1"}}) {
      CliRunner.Result e =
          CliRunner.run(
              "audience-all", "--model", model.toString(), "--out", aud.toString(), bad[0], bad[1]);
      assertEquals(ExitCodes.USAGE, e.exitCode(), e.toString());
    }
  }
}
