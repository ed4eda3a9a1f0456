package org.totalrecall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.SyntheticData;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.loss.InfoNceLoss;
import org.totalrecall.model.FactorModel;
import org.totalrecall.train.InfoNceSpec;
import org.totalrecall.train.MixedSamplerSpec;
import org.totalrecall.train.ObjectiveSpec;
import org.totalrecall.train.SamplerSpec;
import org.totalrecall.train.TrainConfig;

/**
 * The CLI end to end on a small NCF-layout data set written from {@link SyntheticData}: train,
 * evaluate, retrieve, and the exit codes of the failure modes.
 */
class CliEndToEndTest {
  static final SyntheticData.Spec SPEC = new SyntheticData.Spec(300, 200, 5, 12, 0.9, 3L);

  @TempDir static Path dir;
  static Path ncf;
  static Path model;
  static Dataset data;

  @BeforeAll
  static void writeDataAndTrain() throws IOException {
    data = SyntheticData.generate(SPEC);
    ncf = dir.resolve("syn-ncf");
    NcfWriter.write(data, ncf, "syn", 99, 17L);
    model = dir.resolve("syn.trm");
    CliRunner.Result r =
        CliRunner.run(
            "train",
            "--data",
            ncf.toString(),
            "--objective",
            "bi-infonce",
            "--dim",
            "16",
            "--epochs",
            "8",
            "--batch-size",
            "128",
            "--lr",
            "0.01",
            "--lr-decay",
            "constant",
            "--threads",
            "1",
            "--seed",
            "1",
            "--model",
            model.toString(),
            "--json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode doc = r.json();
    assertEquals("train", doc.get("command").asText());
    assertEquals("ncf", doc.get("protocol").asText());
    assertTrue(doc.get("summary").get("positivesPerSecond").asDouble() > 0, doc.toString());
    assertEquals(
        SPEC.numUsers() * (SPEC.interactionsPerUser() - 1),
        doc.get("counts").get("trainInteractions").asInt());
    assertTrue(doc.get("loadReport").get("files").size() == 3, doc.get("loadReport").toString());
  }

  @Test
  void trainedModelRecordsWhereItCameFrom() throws IOException {
    FactorModel m = ModelFormat.read(model);
    assertEquals("ncf", m.metadata().get("protocol"));
    assertEquals("ncf", m.metadata().get("format"));
    assertTrue(m.metadata().get("trainFingerprint") instanceof String);
    assertTrue(((String) m.metadata().get("data")).endsWith("syn-ncf"));
    assertTrue(
        m.metadata().containsKey("loadReport")
            && m.metadata().containsKey("createdAt")
            && m.metadata().containsKey("totalrecallVersion")
            && m.metadata().containsKey("config"));
    assertEquals(SPEC.numUsers() * (SPEC.interactionsPerUser() - 1), m.seen().size());
  }

  @Test
  void evaluateNcfReportsSampledMetricsWellAboveChance() {
    CliRunner.Result r =
        CliRunner.run(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            ncf.toString(),
            "--protocol",
            "ncf",
            "--json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode doc = r.json();
    assertEquals("ncf", doc.get("protocol").asText());
    assertEquals("sampled", doc.get("variant").asText());
    assertEquals(model.toString(), doc.get("model").asText());
    assertEquals(SPEC.numUsers(), doc.get("queries").asInt());
    JsonNode metrics = doc.get("metrics");
    for (String key : new String[] {"hr@10", "ndcg@10", "recall@20", "ndcg@20"}) {
      assertTrue(metrics.has(key), key + " missing: " + metrics);
    }
    double hr = metrics.get("hr@10").asDouble();
    // 100 candidates: a random ranking has HR@10 = 0.1; planted clusters make it far easier
    assertTrue(hr > 0.3 && hr <= 1, "hr@10 " + hr);
    assertTrue(metrics.get("ndcg@10").asDouble() <= hr);
  }

  @Test
  void evaluateFullRanksAgainstAllUnseenItems() {
    CliRunner.Result r =
        CliRunner.run(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            ncf.toString(),
            "--protocol",
            "ncf",
            "--full",
            "--json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode doc = r.json();
    assertEquals("full", doc.get("variant").asText());
    double hr = doc.get("metrics").get("hr@10").asDouble();
    assertTrue(hr > 10.0 / SPEC.numItems(), "hr@10 " + hr);
  }

  @Test
  void evaluateDefaultsToTheRecordedProtocolAndPrintsATable() {
    CliRunner.Result r =
        CliRunner.runAtTerminal("evaluate", "--model", model.toString(), "--data", ncf.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().startsWith("protocol ncf"), r.out());
    assertTrue(r.out().contains("hr@10"), r.out());
    assertTrue(r.err().contains("300 users"), "load report on stderr at a terminal: " + r.err());
    CliRunner.Result piped =
        CliRunner.run("evaluate", "--model", model.toString(), "--data", ncf.toString());
    assertEquals(r.out(), piped.out());
    assertEquals("", piped.err(), "no progress on stderr when it is not a terminal");
  }

  @Test
  void recommendExcludesTrainingItemsByDefault() {
    CliRunner.Result r =
        CliRunner.run(
            "recommend", "--model", model.toString(), "--user", "7", "--k", "10", "--json");
    assertEquals(0, r.exitCode(), r.toString());
    Set<Integer> seen = new HashSet<>();
    int u = data.users().indexOf("u7");
    for (int p = data.train().start(u); p < data.train().end(u); p++) {
      seen.add(data.train().cols()[p]);
    }
    JsonNode results = r.json().get("results");
    assertEquals(10, results.size());
    int inCluster = 0;
    for (JsonNode n : results) {
      int item = Integer.parseInt(n.get("item").asText());
      assertFalse(seen.contains(item), "seen item " + item + " recommended");
      inCluster +=
          SyntheticData.itemCluster(SPEC, item) == SyntheticData.userCluster(SPEC, 7) ? 1 : 0;
    }
    assertTrue(inCluster >= 6, "only " + inCluster + "/10 in the user's cluster");
  }

  @Test
  void audienceAndSimilarWorkOnATrainedModel() {
    CliRunner.Result one =
        CliRunner.run(
            "audience", "--model", model.toString(), "--item", "25", "--k", "10", "--json");
    assertEquals(0, one.exitCode(), one.toString());
    assertEquals(10, one.json().get("results").size());
    CliRunner.Result group =
        CliRunner.run(
            "audience",
            "--model",
            model.toString(),
            "--items",
            "25,30,35",
            "--aggregate",
            "mean",
            "--k",
            "10",
            "--json");
    assertEquals(0, group.exitCode(), group.toString());
    int inCluster = 0;
    for (JsonNode n : group.json().get("results")) {
      inCluster +=
          SyntheticData.userCluster(SPEC, Integer.parseInt(n.get("user").asText())) == 0 ? 1 : 0;
    }
    assertTrue(inCluster >= 6, "only " + inCluster + "/10 of the group's audience in its cluster");
    CliRunner.Result similar =
        CliRunner.run(
            "similar", "--model", model.toString(), "--item", "25", "--k", "10", "--json");
    assertEquals(0, similar.exitCode(), similar.toString());
    assertEquals(10, similar.json().get("results").size());
  }

  /**
   * Methods whose scorer is not the default: ccl trains when given cosine with τ 1 (the model is
   * checked against the method only once every model flag is applied), and ials picks dot scores by
   * itself.
   */
  @Test
  void cclAndIalsTrainFromTheCommandLine() throws IOException {
    Path ccl = dir.resolve("ccl.trm");
    CliRunner.Result c =
        CliRunner.run(
            "train",
            "--data",
            ncf.toString(),
            "--objective",
            "ccl",
            "--scorer",
            "cosine",
            "--tau",
            "1",
            "--dim",
            "16",
            "--epochs",
            "2",
            "--threads",
            "1",
            "--model",
            ccl.toString(),
            "--json");
    assertEquals(0, c.exitCode(), c.toString());
    assertEquals("ccl", c.json().get("config").get("objective").get("name").asText());
    Path ials = dir.resolve("ials.trm");
    CliRunner.Result a =
        CliRunner.run(
            "train",
            "--data",
            ncf.toString(),
            "--objective",
            "ials",
            "--l2",
            "0.01",
            "--dim",
            "16",
            "--epochs",
            "5",
            "--threads",
            "2",
            "--model",
            ials.toString(),
            "--json");
    assertEquals(0, a.exitCode(), a.toString());
    assertEquals("dot", a.json().get("config").get("model").get("scorer").asText());
    CliRunner.Result e =
        CliRunner.run("evaluate", "--model", ials.toString(), "--data", ncf.toString(), "--json");
    assertEquals(0, e.exitCode(), e.toString());
    double hr = e.json().get("metrics").get("hr@10").asDouble();
    assertTrue(hr > 0.3, "ials hr@10 " + hr);
    for (String solver : new String[] {"als", "als-cholesky", "sgd"}) {
      Path pw = dir.resolve("pairwise-" + solver + ".trm");
      CliRunner.Result p =
          CliRunner.run(
              "train",
              "--data",
              ncf.toString(),
              "--objective",
              "pairwise-square",
              "--solver",
              solver,
              "--l2",
              "0.01",
              "--dim",
              "16",
              "--epochs",
              "5",
              "--threads",
              "2",
              "--model",
              pw.toString(),
              "--json");
      assertEquals(0, p.exitCode(), p.toString());
      assertEquals(solver, p.json().get("config").get("objective").get("solver").asText());
      CliRunner.Result pe =
          CliRunner.run("evaluate", "--model", pw.toString(), "--data", ncf.toString(), "--json");
      assertEquals(0, pe.exitCode(), pe.toString());
      double phr = pe.json().get("metrics").get("hr@10").asDouble();
      assertTrue(
          phr > (solver.equals("sgd") ? 0.05 : 0.3),
          "pairwise-square --solver " + solver + " hr@10 " + phr);
    }
    CliRunner.Result cosine =
        CliRunner.run(
            "train",
            "--data",
            ncf.toString(),
            "--objective",
            "ials",
            "--scorer",
            "cosine",
            "--model",
            dir.resolve("no.trm").toString());
    assertEquals(ExitCodes.USAGE, cosine.exitCode(), cosine.toString());
    assertTrue(cosine.err().contains("--scorer dot"), cosine.err());
  }

  /**
   * export writes tables that numpy loads as the model's own (npy and csv), and the repository's
   * Python reader reads the model file itself; skipped with a message without python3 and numpy.
   */
  @Test
  void exportAndThePythonReaderGiveTheModelsTables() throws Exception {
    Path npy = dir.resolve("export-npy");
    CliRunner.Result r =
        CliRunner.run("export", "--model", model.toString(), "--out", npy.toString(), "--json");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("retrieval", r.json().get("vectors").asText());
    Path csv = dir.resolve("export-csv");
    assertEquals(
        0,
        CliRunner.run(
                "export",
                "--model",
                model.toString(),
                "--out",
                csv.toString(),
                "--format",
                "csv",
                "--vectors",
                "raw")
            .exitCode());
    org.totalrecall.model.FactorModel m = org.totalrecall.io.ModelFormat.read(model);
    java.util.List<String> csvLines = Files.readAllLines(csv.resolve("items.csv"));
    assertEquals(m.numItems() + 1, csvLines.size());
    String[] second = csvLines.get(2).split(",", -1);
    assertEquals(m.itemIds().idOf(1), second[0]);
    assertEquals(
        m.itemTable().get(1, 3), Float.parseFloat(second[4]), 0f, "raw item 1, coordinate 3");
    assertEquals(m.numUsers(), Files.readAllLines(npy.resolve("user_ids.txt")).size());
    assertEquals(
        ExitCodes.USAGE,
        CliRunner.run(
                "export",
                "--model",
                model.toString(),
                "--out",
                npy.toString(),
                "--format",
                "parquet-ish")
            .exitCode());

    org.junit.jupiter.api.Assumptions.assumeTrue(
        pythonWithNumpy(),
        "python3 with numpy is not installed: the Python side of the export test is skipped");
    Path reader = Path.of("..", "scripts", "read_trm.py").toAbsolutePath().normalize();
    String program =
        "import sys, json, numpy as np; sys.path.insert(0, sys.argv[1]); from read_trm import read;"
            + " m = read(sys.argv[2]); u = np.load(sys.argv[3] + '/users.npy'); i = np.load(sys.argv[3] + '/items.npy');"
            + " print(json.dumps({'n': [len(m['user_ids']), len(m['item_ids'])], 'u': float(m['users'][2, 5]),"
            + " 'i': float(m['items'][7, 1]), 'eu': float(u[2, 5]), 'ei': float(i[7, 1]), 'shape': list(u.shape),"
            + " 'id': m['item_ids'][7]}))";
    Process p =
        new ProcessBuilder(
                "python3",
                "-c",
                program,
                reader.getParent().toString(),
                model.toString(),
                npy.toString())
            .redirectErrorStream(true)
            .start();
    String output =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), output);
    JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(output);
    assertEquals(m.numUsers(), doc.get("n").get(0).asInt());
    assertEquals(m.numItems(), doc.get("n").get(1).asInt());
    assertEquals(m.userTable().get(2, 5), (float) doc.get("u").asDouble(), 0f);
    assertEquals(m.itemTable().get(7, 1), (float) doc.get("i").asDouble(), 0f);
    assertEquals(
        m.retrievalUsers().get(2, 5),
        (float) doc.get("eu").asDouble(),
        0f,
        "exported retrieval vectors");
    assertEquals(m.retrievalItems().get(7, 1), (float) doc.get("ei").asDouble(), 0f);
    assertEquals(m.dim(), doc.get("shape").get(1).asInt());
    assertEquals(m.itemIds().idOf(7), doc.get("id").asText());
  }

  private static boolean pythonWithNumpy() {
    try {
      Process p =
          new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /**
   * The importance-weighted samplers of paper 002 train from the command line and rank well above
   * chance.
   */
  @Test
  void adasirAndPrisTrainFromTheCommandLine() throws IOException {
    String[][] runs = {
      {"--sampler", "adasir", "--pool", "50"},
      {"--sampler", "adasir-w", "--pool", "50"},
      {"--sampler", "adasir", "--proposal", "popularity"},
      {"--sampler", "pris", "--proposal", "popularity"}
    };
    for (String[] run : runs) {
      Path m = dir.resolve(String.join("", run).replace("-", "") + ".trm");
      java.util.List<String> args =
          new java.util.ArrayList<>(
              java.util.List.of(
                  "train",
                  "--data",
                  ncf.toString(),
                  "--objective",
                  "is-bpr",
                  "--scorer",
                  "dot",
                  "--dim",
                  "16",
                  "--epochs",
                  "15",
                  "--lr",
                  "0.02",
                  "--threads",
                  "2",
                  "--model",
                  m.toString(),
                  "--json"));
      args.addAll(java.util.List.of(run));
      CliRunner.Result t = CliRunner.run(args.toArray(String[]::new));
      assertEquals(0, t.exitCode(), t.toString());
      assertEquals(run[1], t.json().get("config").get("sampler").get("name").asText());
      CliRunner.Result e =
          CliRunner.run("evaluate", "--model", m.toString(), "--data", ncf.toString(), "--json");
      assertEquals(0, e.exitCode(), e.toString());
      double hr = e.json().get("metrics").get("hr@10").asDouble();
      assertTrue(hr > 0.2, String.join(" ", run) + ": hr@10 " + hr + " (chance 0.1)");
    }
  }

  /**
   * recommend --history: a new user folded in from items, or a known user with recent items; bad
   * requests are refused.
   */
  @Test
  void recommendFoldsAUserInFromAHistory() {
    CliRunner.Result r =
        CliRunner.run(
            "recommend",
            "--model",
            model.toString(),
            "--history",
            "25,30,35",
            "--k",
            "10",
            "--json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode doc = r.json();
    assertTrue(doc.get("foldIn").asText().startsWith("gradient steps"), doc.toString());
    int inCluster = 0;
    for (JsonNode n : doc.get("results")) {
      String item = n.get("item").asText();
      assertTrue(
          !item.equals("25") && !item.equals("30") && !item.equals("35"),
          "history items are excluded: " + item);
      inCluster +=
          SyntheticData.itemCluster(SPEC, Integer.parseInt(item))
                  == SyntheticData.itemCluster(SPEC, 25)
              ? 1
              : 0;
    }
    assertTrue(inCluster >= 6, "only " + inCluster + "/10 in the history's cluster");
    CliRunner.Result known =
        CliRunner.run(
            "recommend",
            "--model",
            model.toString(),
            "--user",
            "7",
            "--history",
            "25",
            "--k",
            "5",
            "--json");
    assertEquals(0, known.exitCode(), known.toString());
    assertEquals("7", known.json().get("user").asText());
    assertEquals(
        ExitCodes.USAGE, CliRunner.run("recommend", "--model", model.toString()).exitCode());
    assertEquals(
        ExitCodes.USAGE,
        CliRunner.run("recommend", "--model", model.toString(), "--history", "25,,30").exitCode());
    CliRunner.Result unknown =
        CliRunner.run("recommend", "--model", model.toString(), "--history", "25,nope");
    assertEquals(ExitCodes.DATA, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.err().contains("nope"), unknown.err());
  }

  /**
   * The gmf scorer end to end: train, the model file keeps h, evaluate and retrieval both ways rank
   * by hᵀ(u ⊙ i).
   */
  @Test
  void gmfScorerTrainsEvaluatesAndRetrievesBothWays() throws IOException {
    Path gmf = dir.resolve("gmf.trm");
    CliRunner.Result t =
        CliRunner.run(
            "train",
            "--data",
            ncf.toString(),
            "--objective",
            "bi-infonce",
            "--scorer",
            "gmf",
            "--dim",
            "16",
            "--epochs",
            "8",
            "--batch-size",
            "128",
            "--lr",
            "0.01",
            "--threads",
            "1",
            "--model",
            gmf.toString(),
            "--json");
    assertEquals(0, t.exitCode(), t.toString());
    assertEquals("gmf", t.json().get("config").get("model").get("scorer").asText());
    FactorModel m = ModelFormat.read(gmf);
    assertTrue(m.scorer().isGmf(), m.scorer().toString());
    float[] h = m.scorer().weights();
    boolean learned = false;
    for (float w : h) {
      learned |= w != 1f;
    }
    assertTrue(learned, "h moved from its initial ones: " + java.util.Arrays.toString(h));

    CliRunner.Result e =
        CliRunner.run("evaluate", "--model", gmf.toString(), "--data", ncf.toString(), "--json");
    assertEquals(0, e.exitCode(), e.toString());
    double hr = e.json().get("metrics").get("hr@10").asDouble();
    assertTrue(hr > 0.3, "gmf hr@10 " + hr);

    CliRunner.Result rec =
        CliRunner.run("recommend", "--model", gmf.toString(), "--user", "7", "--k", "5", "--json");
    assertEquals(0, rec.exitCode(), rec.toString());
    int user = m.userIds().indexOf("7");
    double previous = Double.POSITIVE_INFINITY;
    for (JsonNode n : rec.json().get("results")) {
      int item = m.itemIds().indexOf(n.get("item").asText());
      double phi = 0;
      for (int k = 0; k < m.dim(); k++) {
        phi += (double) h[k] * m.userTable().get(user, k) * m.itemTable().get(item, k);
      }
      assertEquals(
          phi, n.get("score").asDouble(), 1e-4 * (1 + Math.abs(phi)), "score of item " + item);
      assertTrue(phi <= previous + 1e-6, "best first");
      previous = phi;
    }
    CliRunner.Result audience =
        CliRunner.run("audience", "--model", gmf.toString(), "--item", "25", "--k", "5", "--json");
    assertEquals(0, audience.exitCode(), audience.toString());
    int item = m.itemIds().indexOf("25");
    for (JsonNode n : audience.json().get("results")) {
      int u = m.userIds().indexOf(n.get("user").asText());
      double phi = 0;
      for (int k = 0; k < m.dim(); k++) {
        phi += (double) h[k] * m.userTable().get(u, k) * m.itemTable().get(item, k);
      }
      assertEquals(
          phi, n.get("score").asDouble(), 1e-4 * (1 + Math.abs(phi)), "score of user " + u);
    }
  }

  @Test
  void selfSplittingProtocolIsRebuiltFromTheRecordedSeedAndOtherSeedsAreRefused()
      throws IOException {
    Path csv = dir.resolve("ratings.csv");
    StringBuilder sb = new StringBuilder("user,item\n");
    for (org.totalrecall.data.Interactions m :
        new org.totalrecall.data.Interactions[] {data.train(), data.test()}) {
      for (int u = 0; u < m.numRows(); u++) {
        for (int p = m.start(u); p < m.end(u); p++) {
          sb.append(data.users().idOf(u))
              .append(',')
              .append(data.items().idOf(m.cols()[p]))
              .append('\n');
        }
      }
    }
    Files.writeString(csv, sb);
    Path m = dir.resolve("random-split.trm");
    CliRunner.Result t =
        CliRunner.run(
            "train",
            "--data",
            csv.toString(),
            "--protocol",
            "random-split",
            "--split-seed",
            "3",
            "--dim",
            "16",
            "--epochs",
            "3",
            "--lr",
            "0.01",
            "--lr-decay",
            "constant",
            "--threads",
            "1",
            "--validation",
            "--patience",
            "2",
            "--model",
            m.toString(),
            "--json");
    assertEquals(0, t.exitCode(), t.toString());
    JsonNode summary = t.json().get("summary");
    assertTrue(summary.get("bestEpoch").asInt() >= 1, summary.toString());
    assertTrue(summary.get("bestMetrics").has("ndcg@10"), summary.toString());
    assertTrue(t.json().get("counts").get("validationInteractions").asInt() > 0, t.out());

    CliRunner.Result same =
        CliRunner.run("evaluate", "--model", m.toString(), "--data", csv.toString(), "--json");
    assertEquals(0, same.exitCode(), same.toString());
    assertEquals("random-split", same.json().get("protocol").asText());
    assertEquals(3, same.json().get("seed").asInt());
    assertTrue(
        same.json().get("metrics").get("recall@20").asDouble() > 20.0 / SPEC.numItems(),
        same.out());

    CliRunner.Result other =
        CliRunner.run(
            "evaluate", "--model", m.toString(), "--data", csv.toString(), "--split-seed", "4");
    assertEquals(ExitCodes.DATA, other.exitCode(), other.toString());
    assertTrue(other.err().contains("refusing to evaluate"), other.err());

    // the validation part, rebuilt by evaluate: every validation user (fewer than the trainer's
    // 5,000), so the kept epoch's validation metrics come out again
    CliRunner.Result val =
        CliRunner.run(
            "evaluate",
            "--model",
            m.toString(),
            "--data",
            csv.toString(),
            "--validation",
            "--json");
    assertEquals(0, val.exitCode(), val.toString());
    assertEquals("validation", val.json().get("part").asText(), val.out());
    assertEquals(
        t.json().get("counts").get("validationInteractions").asInt(),
        val.json().get("counts").get("validationInteractions").asInt(),
        val.out());
    for (String k : new String[] {"ndcg@10", "recall@20"}) {
      assertEquals(
          summary.get("bestMetrics").get(k).asDouble(),
          val.json().get("metrics").get(k).asDouble(),
          1e-12,
          k);
    }
    assertNotEquals(
        same.json().get("metrics").get("ndcg@10").asDouble(),
        val.json().get("metrics").get("ndcg@10").asDouble(),
        "the validation part is not the test part");

    Path plain = dir.resolve("random-split-plain.trm");
    CliRunner.Result p =
        CliRunner.run(
            "train",
            "--data",
            csv.toString(),
            "--protocol",
            "random-split",
            "--dim",
            "8",
            "--epochs",
            "1",
            "--threads",
            "1",
            "--model",
            plain.toString(),
            "--quiet");
    assertEquals(0, p.exitCode(), p.toString());
    CliRunner.Result noVal =
        CliRunner.run(
            "evaluate", "--model", plain.toString(), "--data", csv.toString(), "--validation");
    assertEquals(ExitCodes.DATA, noVal.exitCode(), noVal.toString());
    assertTrue(noVal.err().contains("was trained without --validation"), noVal.err());
  }

  @Test
  void modelTrainedOnAllDataIsRefusedAsLeakage() {
    Path all = dir.resolve("all.trm");
    CliRunner.Result t =
        CliRunner.run(
            "train",
            "--data",
            ncf.toString(),
            "--protocol",
            "none",
            "--dim",
            "8",
            "--epochs",
            "1",
            "--threads",
            "1",
            "--model",
            all.toString(),
            "--quiet");
    assertEquals(0, t.exitCode(), t.toString());
    CliRunner.Result r =
        CliRunner.run(
            "evaluate", "--model", all.toString(), "--data", ncf.toString(), "--protocol", "ncf");
    assertEquals(ExitCodes.DATA, r.exitCode(), r.toString());
    assertTrue(
        r.err()
            .contains("totalrecall: refusing to evaluate: model was trained on data that includes"),
        r.err());
    CliRunner.Result noDefault =
        CliRunner.run("evaluate", "--model", all.toString(), "--data", ncf.toString());
    assertEquals(ExitCodes.DATA, noDefault.exitCode(), noDefault.toString());
  }

  @Test
  void evaluatingUnderAnotherSplitIsRefusedAsLeakage() {
    CliRunner.Result r =
        CliRunner.run(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            ncf.toString(),
            "--protocol",
            "random-split",
            "--split-seed",
            "5");
    assertEquals(ExitCodes.DATA, r.exitCode(), r.toString());
    assertTrue(r.err().contains("totalrecall: refusing to evaluate: "), r.err());
  }

  @Test
  void missingDataDirectoryIsNoInput() {
    CliRunner.Result r =
        CliRunner.run(
            "train",
            "--data",
            dir.resolve("nope").toString(),
            "--model",
            dir.resolve("x.trm").toString());
    assertEquals(ExitCodes.NO_INPUT, r.exitCode(), r.toString());
    assertTrue(r.err().contains("nope"), r.err());
  }

  @Test
  void malformedRowIsADataErrorNamingFileLineAndField() throws IOException {
    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("ratings.csv"), "user,item,rating\nu1,i1,5\nu1,i2,lots\n");
    CliRunner.Result r =
        CliRunner.run(
            "train",
            "--data",
            bad.resolve("ratings.csv").toString(),
            "--format",
            "delimited",
            "--model",
            dir.resolve("bad.trm").toString());
    assertEquals(ExitCodes.DATA, r.exitCode(), r.toString());
    assertTrue(r.err().contains("ratings.csv:3") && r.err().contains("field"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void delimitedColumnsAndSeparatorAreChosenByFlags() throws IOException {
    Path csv = dir.resolve("custom.txt");
    StringBuilder sb = new StringBuilder("stars;visitor;film\n");
    for (int u = 0; u < 40; u++) {
      for (int p = data.train().start(u); p < data.train().end(u); p++) {
        sb.append("5;v").append(u).append(";f").append(data.train().cols()[p]).append('\n');
      }
    }
    Files.writeString(csv, sb);
    Path m = dir.resolve("custom.trm");
    CliRunner.Result r =
        CliRunner.run(
            "train",
            "--data",
            csv.toString(),
            "--format",
            "delimited",
            "--delimiter",
            "semicolon",
            "--columns",
            "visitor,film,none",
            "--dim",
            "8",
            "--epochs",
            "1",
            "--threads",
            "1",
            "--model",
            m.toString(),
            "--json");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(40, r.json().get("counts").get("users").asInt());
    assertEquals("none", r.json().get("protocol").asText());
    CliRunner.Result rec =
        CliRunner.run("recommend", "--model", m.toString(), "--user", "v3", "--k", "3", "--json");
    assertEquals(0, rec.exitCode(), rec.toString());
    assertTrue(rec.json().get("results").get(0).get("item").asText().startsWith("f"), rec.out());
    CliRunner.Result badColumn =
        CliRunner.run(
            "train",
            "--data",
            csv.toString(),
            "--format",
            "delimited",
            "--columns",
            "visitor",
            "--model",
            m.toString());
    assertEquals(ExitCodes.USAGE, badColumn.exitCode(), badColumn.toString());
    // --format csv and tsv: the delimited reader with that separator
    Path commas = dir.resolve("custom.csv");
    Files.writeString(commas, sb.toString().replace(';', ','));
    CliRunner.Result c =
        CliRunner.run(
            "train",
            "--data",
            commas.toString(),
            "--format",
            "csv",
            "--columns",
            "visitor,film,none",
            "--dim",
            "8",
            "--epochs",
            "1",
            "--threads",
            "1",
            "--model",
            m.toString(),
            "--json");
    assertEquals(0, c.exitCode(), c.toString());
    assertEquals(40, c.json().get("counts").get("users").asInt());
    Path tabs = dir.resolve("custom.tsv");
    Files.writeString(tabs, sb.toString().replace(';', '\t'));
    CliRunner.Result t =
        CliRunner.run(
            "train",
            "--data",
            tabs.toString(),
            "--format",
            "TSV",
            "--columns",
            "visitor,film,none",
            "--dim",
            "8",
            "--epochs",
            "1",
            "--threads",
            "1",
            "--model",
            m.toString(),
            "--json");
    assertEquals(0, t.exitCode(), t.toString());
    assertEquals(40, t.json().get("counts").get("users").asInt());
    CliRunner.Result contradiction =
        CliRunner.run(
            "train",
            "--data",
            commas.toString(),
            "--format",
            "csv",
            "--delimiter",
            "tab",
            "--model",
            m.toString());
    assertEquals(ExitCodes.USAGE, contradiction.exitCode(), contradiction.toString());
    assertTrue(contradiction.err().contains("--delimiter tab"), contradiction.err());
  }

  @Test
  void invalidHyperparameterIsAUsageErrorNamingTheFlag() {
    CliRunner.Result r =
        CliRunner.run(
            "train",
            "--data",
            ncf.toString(),
            "--lr",
            "-1",
            "--model",
            dir.resolve("x.trm").toString());
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertTrue(r.err().contains("--lr"), r.err());
    CliRunner.Result alpha =
        CliRunner.run(
            "train",
            "--data",
            ncf.toString(),
            "--logq-weight",
            "-0.5",
            "--model",
            dir.resolve("x.trm").toString());
    assertEquals(ExitCodes.USAGE, alpha.exitCode(), alpha.toString());
    assertTrue(alpha.err().contains("--logq-weight must be in [0, 10], got -0.5"), alpha.err());
  }

  @Test
  void correctionWeightIsRecordedInTheModel() throws IOException {
    Path m = dir.resolve("alpha.trm");
    CliRunner.Result r =
        CliRunner.run(
            "train",
            "--data",
            ncf.toString(),
            "--dim",
            "8",
            "--epochs",
            "1",
            "--threads",
            "1",
            "--logq-weight",
            "0.75",
            "--model",
            m.toString(),
            "--quiet");
    assertEquals(0, r.exitCode(), r.toString());
    @SuppressWarnings("unchecked")
    Map<String, Object> config = (Map<String, Object>) ModelFormat.read(m).metadata().get("config");
    assertEquals(
        Map.of("name", "bi-infonce", "logq", true, "logq-weight", 0.75), config.get("objective"));
    assertEquals(0.75f, TrainConfig.fromMap(config).objective().correctionWeight());
  }

  @Test
  void methodsAndTheirParametersComeFromTheirDeclarations() throws IOException {
    Path m = dir.resolve("mixed.trm");
    CliRunner.Result r =
        CliRunner.run(
            "train",
            "--data",
            ncf.toString(),
            "--dim",
            "8",
            "--epochs",
            "1",
            "--threads",
            "1",
            "--objective",
            "infonce-u2i",
            "--sampler",
            "mixed",
            "--extra-negatives",
            "16",
            "--no-logq",
            "--model",
            m.toString(),
            "--json");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("mixed", r.json().get("config").get("sampler").get("name").asText());
    @SuppressWarnings("unchecked")
    TrainConfig back =
        TrainConfig.fromMap((Map<String, Object>) ModelFormat.read(m).metadata().get("config"));
    assertEquals(new MixedSamplerSpec(16), back.sampler());
    assertEquals(new InfoNceSpec(InfoNceLoss.Direction.U2I, false, 0.9f), back.objective());

    Path x = dir.resolve("never.trm");
    CliRunner.Result foreign =
        CliRunner.run(
            "train", "--data", ncf.toString(), "--extra-negatives", "16", "--model", x.toString());
    assertEquals(ExitCodes.USAGE, foreign.exitCode(), foreign.toString());
    assertEquals(
        "totalrecall: --extra-negatives does not apply to --objective bi-infonce with --sampler in-batch "
            + "(it is a parameter of [mixed])\n",
        foreign.err());
    CliRunner.Result unknown =
        CliRunner.run(
            "train", "--data", ncf.toString(), "--sampler", "psychic", "--model", x.toString());
    assertEquals(ExitCodes.USAGE, unknown.exitCode(), unknown.toString());
    assertTrue(
        unknown.err().startsWith("totalrecall: --sampler must be one of in-batch, mixed"),
        unknown.err());
    assertTrue(Files.notExists(x));

    CliRunner.Result help = CliRunner.run("train", "--help");
    assertEquals(0, help.exitCode(), help.toString());
    for (var t : ObjectiveSpec.types()) {
      assertTrue(
          help.out().contains(t.name()) && help.out().contains(t.description().substring(0, 30)),
          t.name());
    }
    for (var t : SamplerSpec.types()) {
      assertTrue(
          help.out().contains(t.name()) && help.out().contains(t.description().substring(0, 30)),
          t.name());
    }
    assertTrue(
        help.out().contains("--extra-negatives=M")
            && help.out().contains("--no-logq")
            && help.out().contains("--logq-weight=ALPHA"),
        help.out());
  }

  @Test
  void unknownUserIdOfATrainedModelIsADataError() {
    CliRunner.Result r =
        CliRunner.run("recommend", "--model", model.toString(), "--user", "100000");
    assertEquals(ExitCodes.DATA, r.exitCode(), r.toString());
    assertTrue(r.err().contains("\"100000\""), r.err());
  }
}
