package org.totalrecall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.DataFormat;
import org.totalrecall.data.DataLoader;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.LoadOptions;
import org.totalrecall.data.SyntheticData;

/**
 * {@code tune}: the search never looks at the test part (two data sets with the same training part
 * and different, "poisoned", test parts give identical trials, while evaluation on their test parts
 * differs), its best configuration is an options file {@code train @file} accepts, and bad flags
 * are usage errors.
 */
class TuneCliTest {
  @TempDir static Path dir;
  static Path clean;
  static Path poisoned;

  @BeforeAll
  static void data() throws IOException {
    clean = dir.resolve("clean");
    NcfWriter.write(
        SyntheticData.generate(new SyntheticData.Spec(200, 120, 5, 10, 0.9, 21L)),
        clean,
        "syn",
        50,
        3L);
    poisoned = dir.resolve("poisoned");
    Files.createDirectories(poisoned);
    Files.copy(clean.resolve("syn.train.rating"), poisoned.resolve("syn.train.rating"));
    // the poisoned test part: every user's held-out item is another user's (never one of its
    // training items), and its
    // negatives are redrawn; the ids are the same, so only the labels differ
    Dataset d = DataLoader.load(clean, DataFormat.NCF, LoadOptions.defaults());
    int users = d.numUsers();
    int items = d.numItems();
    int[] heldOut = new int[users];
    for (int u = 0; u < users; u++) {
      heldOut[u] = d.test().cols()[d.test().start(u)];
    }
    SplittableRandom rng = new SplittableRandom(99);
    List<String> rating = new ArrayList<>();
    List<String> negative = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      int item = -1;
      for (int k = 1; k < users && item < 0; k++) {
        int cand = heldOut[(u + k) % users];
        if (cand != heldOut[u] && !d.train().contains(u, cand)) {
          item = cand;
        }
      }
      rating.add(u + "\t" + item + "\t5\t" + (2_000_000 + u));
      StringBuilder sb = new StringBuilder("(" + u + "," + item + ")");
      boolean[] used = new boolean[items];
      used[item] = true;
      for (int p = d.train().start(u); p < d.train().end(u); p++) {
        used[d.train().cols()[p]] = true;
      }
      for (int n = 0; n < 50; n++) {
        int j;
        do {
          j = rng.nextInt(items);
        } while (used[j]);
        used[j] = true;
        sb.append('\t').append(j);
      }
      negative.add(sb.toString());
    }
    Files.write(poisoned.resolve("syn.test.rating"), rating, StandardCharsets.UTF_8);
    Files.write(poisoned.resolve("syn.test.negative"), negative, StandardCharsets.UTF_8);
    Dataset p = DataLoader.load(poisoned, DataFormat.NCF, LoadOptions.defaults());
    assertEquals(d.users().ids(), p.users().ids(), "same users");
    assertEquals(d.items().ids(), p.items().ids(), "same items: only the test labels differ");
  }

  private static CliRunner.Result tune(Path data, Path out) {
    return CliRunner.run(
        "tune",
        "--data",
        data.toString(),
        "--budget",
        "3",
        "--max-epochs",
        "3",
        "--rungs",
        "2",
        "--threads",
        "1",
        "--seed",
        "5",
        "--fix",
        "dim=16",
        "--out",
        out.toString(),
        "--json");
  }

  /** trials.csv without the seconds column (wall time). */
  private static List<String> trialsWithoutTime(Path out) throws IOException {
    List<String> lines = Files.readAllLines(out.resolve("trials.csv"));
    int col = List.of(lines.get(0).split(",")).indexOf("seconds");
    List<String> rows = new ArrayList<>();
    for (String l : lines) {
      List<String> f = new ArrayList<>(List.of(l.split(",", -1)));
      f.remove(col);
      rows.add(String.join(",", f));
    }
    return rows;
  }

  @Test
  void thePoisonedTestPartChangesNothingInTheSearch() throws IOException {
    CliRunner.Result a = tune(clean, dir.resolve("tune-clean"));
    CliRunner.Result b = tune(poisoned, dir.resolve("tune-poisoned"));
    assertEquals(0, a.exitCode(), a.toString());
    assertEquals(0, b.exitCode(), b.toString());
    assertEquals(4, a.json().get("trialsRun").asInt(), a.toString());
    assertEquals(
        trialsWithoutTime(dir.resolve("tune-clean")),
        trialsWithoutTime(dir.resolve("tune-poisoned")));
    assertEquals(
        Files.readString(dir.resolve("tune-clean/best.opts")).replace("clean", "X"),
        Files.readString(dir.resolve("tune-poisoned/best.opts")).replace("poisoned", "X"));
    // the poison is real: the same model scores differently on the two test parts
    Path model = dir.resolve("best.trm");
    CliRunner.Result t =
        CliRunner.run(
            "train",
            "@" + dir.resolve("tune-clean/best.opts"),
            "--data",
            clean.toString(),
            "--threads",
            "1",
            "--model",
            model.toString(),
            "--json");
    assertEquals(0, t.exitCode(), t.toString());
    JsonNode onClean =
        CliRunner.run("evaluate", "--model", model.toString(), "--data", clean.toString(), "--json")
            .json();
    Path model2 = dir.resolve("best2.trm");
    assertEquals(
        0,
        CliRunner.run(
                "train",
                "@" + dir.resolve("tune-clean/best.opts"),
                "--data",
                poisoned.toString(),
                "--threads",
                "1",
                "--model",
                model2.toString())
            .exitCode());
    JsonNode onPoisoned =
        CliRunner.run(
                "evaluate", "--model", model2.toString(), "--data", poisoned.toString(), "--json")
            .json();
    assertNotEquals(
        onClean.get("metrics").get("ndcg@10").asDouble(),
        onPoisoned.get("metrics").get("ndcg@10").asDouble());
  }

  @Test
  void bestOptsIsATrainOptionsFileAndThePageAndTableExist() throws IOException {
    Path out = dir.resolve("tune-opts");
    CliRunner.Result r = tune(clean, out);
    assertEquals(0, r.exitCode(), r.toString());
    String opts = Files.readString(out.resolve("best.opts"));
    assertTrue(opts.contains("--epochs ") && opts.contains("--dim 16"), opts);
    JsonNode best = r.json().get("best");
    CliRunner.Result t =
        CliRunner.run(
            "train",
            "@" + out.resolve("best.opts"),
            "--data",
            clean.toString(),
            "--threads",
            "1",
            "--model",
            dir.resolve("opts.trm").toString(),
            "--json");
    assertEquals(0, t.exitCode(), t.toString());
    assertEquals(
        best.get("epochs").asInt(), t.json().get("config").get("run").get("epochs").asInt());
    assertEquals(16, t.json().get("config").get("model").get("dim").asInt());
    String html = Files.readString(out.resolve("index.html"));
    assertTrue(
        html.contains("id=\"trials\"") && html.contains("data:image/png;base64,"),
        "table and chart");
    assertTrue(Files.size(out.resolve("scores.png")) > 1000);
    assertEquals(
        5, Files.readAllLines(out.resolve("trials.csv")).size(), "a header and four trials");
  }

  @Test
  void badFlagsAreUsageErrors() {
    String[][] cases = {
      {"--budget", "lots"},
      {"--budget", "0"},
      {"--budget", "3", "--fix", "epochs=3"},
      {"--budget", "3", "--fix", "dim"},
      {"--budget", "3", "--metric", "ndcg@50"},
      {"--budget", "3", "--parallel", "0"},
      {"--budget", "3", "--eta", "1"},
      {"--budget", "3", "--objective", "nope"},
    };
    for (String[] c : cases) {
      List<String> args =
          new ArrayList<>(
              List.of("tune", "--data", clean.toString(), "--out", dir.resolve("bad").toString()));
      args.addAll(List.of(c));
      CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
      assertEquals(ExitCodes.USAGE, r.exitCode(), String.join(" ", c) + "\n" + r);
      assertEquals(1, r.err().strip().lines().count(), r.toString());
    }
  }
}
