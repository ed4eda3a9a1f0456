package org.totalrecall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.DataFingerprint;
import org.totalrecall.data.DataLoader;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.Interactions;
import org.totalrecall.data.LoadOptions;
import org.totalrecall.data.SyntheticData;
import org.totalrecall.eval.LeakageCheck;
import org.totalrecall.eval.Protocol;
import org.totalrecall.eval.ProtocolOptions;
import org.totalrecall.eval.ProtocolSplit;
import org.totalrecall.eval.Protocols;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;

/**
 * evaluate on an oracle model of planted-cluster data written in the NCF layout: user vectors point
 * at their cluster, item vectors at theirs plus a popularity coordinate, so the model ranks
 * in-cluster popular items first, as the generator draws test items. The metadata is what train
 * records, so evaluate must rebuild the split, accept the honest model and refuse leaks.
 */
class EvaluateCommandTest {
  static final SyntheticData.Spec SPEC = new SyntheticData.Spec(200, 150, 5, 10, 0.9, 5L);

  @TempDir static Path dir;
  static Path ncf;
  static Dataset loaded;

  @BeforeAll
  static void writeData() throws IOException {
    ncf = dir.resolve("ncf");
    NcfWriter.write(SyntheticData.generate(SPEC), ncf, "planted", 99, 9L);
    loaded = DataLoader.load(ncf, null, LoadOptions.defaults());
  }

  /** The oracle model trained on {@code train}, recording {@code split} (or protocol none). */
  static Path writeModel(String name, Interactions train, ProtocolSplit split) throws IOException {
    int clusters = SPEC.numClusters();
    EmbeddingTable users = new EmbeddingTable(loaded.numUsers(), clusters + 1);
    EmbeddingTable items = new EmbeddingTable(loaded.numItems(), clusters + 1);
    long[] popularity = train.colCounts();
    for (int u = 0; u < users.rows(); u++) {
      int cluster = SyntheticData.userCluster(SPEC, Integer.parseInt(loaded.users().idOf(u)));
      users.data()[users.offset(u) + cluster] = 1f;
      users.data()[users.offset(u) + clusters] = 1f;
    }
    for (int i = 0; i < items.rows(); i++) {
      int cluster = SyntheticData.itemCluster(SPEC, Integer.parseInt(loaded.items().idOf(i)));
      items.data()[items.offset(i) + cluster] = 1f;
      items.data()[items.offset(i) + clusters] = 0.01f * (float) Math.log1p((double) popularity[i]);
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    if (split == null) {
      meta.put(LeakageCheck.PROTOCOL_KEY, "none");
      meta.put(
          LeakageCheck.TRAIN_FINGERPRINT_KEY,
          DataFingerprint.of(train, loaded.users(), loaded.items()));
    } else {
      meta.putAll(split.toMap());
      meta.put("split", split.toMap());
    }
    Path file = dir.resolve(name);
    ModelFormat.write(
        new FactorModel(users, items, loaded.users(), loaded.items(), Scorer.dot(), meta, train),
        file);
    return file;
  }

  @Test
  void honestModelIsEvaluatedUnderItsRecordedProtocol() throws IOException {
    ProtocolSplit split = Protocols.split(Protocol.NCF, loaded, ProtocolOptions.defaults());
    Path model = writeModel("honest.trm", split.train(), split);
    CliRunner.Result r =
        CliRunner.run("evaluate", "--model", model.toString(), "--data", ncf.toString(), "--json");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode doc = r.json();
    assertEquals("evaluate", doc.get("command").asText());
    assertEquals("ncf", doc.get("protocol").asText());
    assertEquals("sampled", doc.get("variant").asText());
    assertEquals(ncf.toString(), doc.get("data").asText());
    assertEquals(SPEC.numUsers(), doc.get("queries").asInt());
    assertEquals(SPEC.numUsers(), doc.get("counts").get("testInteractions").asInt());
    JsonNode metrics = doc.get("metrics");
    for (String key : new String[] {"hr@10", "ndcg@10", "recall@20", "ndcg@20"}) {
      assertTrue(metrics.has(key), key + " missing: " + metrics);
    }
    // 100 candidates, of which ~10 negatives share the user's cluster: chance HR@10 is 0.1
    assertTrue(metrics.get("hr@10").asDouble() > 0.5, metrics.toString());
    assertTrue(doc.get("loadReport").get("files").size() == 3);

    CliRunner.Result full =
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
    assertEquals(0, full.exitCode(), full.toString());
    assertEquals("full", full.json().get("variant").asText());
    assertTrue(
        full.json().get("metrics").get("hr@10").asDouble() < metrics.get("hr@10").asDouble(),
        "full ranking is harder than 100 sampled candidates");
  }

  @Test
  void textOutputListsTheMetricsAndTheLoadReportGoesToStderr() throws IOException {
    ProtocolSplit split = Protocols.split(Protocol.NCF, loaded, ProtocolOptions.defaults());
    Path model = writeModel("text.trm", split.train(), split);
    CliRunner.Result r =
        CliRunner.runAtTerminal("evaluate", "--model", model.toString(), "--data", ncf.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().startsWith("protocol ncf (u2i, sampled ranking)"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("ndcg@10")), r.out());
    assertTrue(r.err().startsWith("loaded " + ncf), r.err());
  }

  @Test
  void modelTrainedOnTheTestPartIsRefused() throws IOException {
    Interactions all = Splits.allInteractions(loaded);
    Path model = writeModel("leaky.trm", all, null);
    CliRunner.Result r =
        CliRunner.run(
            "evaluate", "--model", model.toString(), "--data", ncf.toString(), "--protocol", "ncf");
    assertEquals(ExitCodes.DATA, r.exitCode(), r.toString());
    assertTrue(
        r.err()
            .contains("totalrecall: refusing to evaluate: model was trained on data that includes"),
        r.err());
    CliRunner.Result noProtocol =
        CliRunner.run("evaluate", "--model", model.toString(), "--data", ncf.toString());
    assertEquals(ExitCodes.DATA, noProtocol.exitCode(), noProtocol.toString());
    assertTrue(noProtocol.err().contains("trained on all the data"), noProtocol.err());
  }

  @Test
  void selfSplittingProtocolUsesTheRecordedSeedAndRefusesAnother() throws IOException {
    ProtocolSplit split =
        Protocols.split(Protocol.RANDOM_SPLIT, loaded, ProtocolOptions.defaults().withSeed(3));
    Path model = writeModel("random.trm", split.train(), split);
    CliRunner.Result same =
        CliRunner.run("evaluate", "--model", model.toString(), "--data", ncf.toString(), "--json");
    assertEquals(0, same.exitCode(), same.toString());
    assertEquals("random-split", same.json().get("protocol").asText());
    assertEquals(3, same.json().get("seed").asInt());
    CliRunner.Result other =
        CliRunner.run(
            "evaluate", "--model", model.toString(), "--data", ncf.toString(), "--split-seed", "4");
    assertEquals(ExitCodes.DATA, other.exitCode(), other.toString());
    assertTrue(other.err().contains("refusing to evaluate"), other.err());
  }

  @Test
  void modelOfOtherDataIsRefused() throws IOException {
    Path otherData = dir.resolve("other");
    NcfWriter.write(
        SyntheticData.generate(new SyntheticData.Spec(120, 150, 5, 10, 0.9, 6L)),
        otherData,
        "other",
        20,
        1L);
    ProtocolSplit split = Protocols.split(Protocol.NCF, loaded, ProtocolOptions.defaults());
    Path model = writeModel("mismatch.trm", split.train(), split);
    CliRunner.Result r =
        CliRunner.run("evaluate", "--model", model.toString(), "--data", otherData.toString());
    assertEquals(ExitCodes.DATA, r.exitCode(), r.toString());
    assertTrue(r.err().contains("ids do not match"), r.err());
  }

  @Test
  void missingDataIsNoInputAndUnknownProtocolIsUsage() throws IOException {
    ProtocolSplit split = Protocols.split(Protocol.NCF, loaded, ProtocolOptions.defaults());
    Path model = writeModel("m.trm", split.train(), split);
    CliRunner.Result missing =
        CliRunner.run(
            "evaluate", "--model", model.toString(), "--data", dir.resolve("nope").toString());
    assertEquals(ExitCodes.NO_INPUT, missing.exitCode(), missing.toString());
    CliRunner.Result bad =
        CliRunner.run(
            "evaluate", "--model", model.toString(), "--data", ncf.toString(), "--protocol", "xyz");
    assertEquals(ExitCodes.USAGE, bad.exitCode(), bad.toString());
    assertTrue(bad.err().contains("--protocol"), bad.err());
  }
}
