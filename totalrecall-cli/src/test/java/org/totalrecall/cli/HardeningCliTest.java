package org.totalrecall.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.SyntheticData;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.NumericRange;

/**
 * The command-line defects of issue 10, each reproduced: absurd flags, unwritable or empty {@code
 * --model}, divergence that stays finite, the best finite epoch kept under validation, empty input,
 * stale temporaries, {@code --items} with an empty id, and one-line errors.
 */
class HardeningCliTest {
  @TempDir static Path dir;
  static Path ncf;
  static Path model;

  @BeforeAll
  static void writeData() throws IOException {
    ncf = dir.resolve("ncf");
    NcfWriter.write(
        SyntheticData.generate(new SyntheticData.Spec(300, 200, 5, 12, 0.9, 3L)),
        ncf,
        "syn",
        99,
        17L);
    model = dir.resolve("base.trm");
    CliRunner.Result r = train(model, "--epochs", "2");
    assertEquals(0, r.exitCode(), r.toString());
  }

  /**
   * train on the small NCF data, with --dim 8 --threads 1 --seed 3 unless {@code extra} sets them.
   */
  static CliRunner.Result train(Path out, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("train", "--data", ncf.toString(), "--model", out.toString()));
    List<String> given = List.of(extra);
    for (String[] d : new String[][] {{"--dim", "8"}, {"--threads", "1"}, {"--seed", "3"}}) {
      if (!given.contains(d[0])) {
        args.addAll(List.of(d));
      }
    }
    args.addAll(given);
    return CliRunner.run(args.toArray(String[]::new));
  }

  /** One line on stderr, "totalrecall: " and the message. */
  static void oneLineError(CliRunner.Result r, int code, String messageStart) {
    assertEquals(code, r.exitCode(), r.toString());
    assertEquals(1, r.err().lines().count(), "exactly one line on stderr: " + r.err());
    assertTrue(r.err().startsWith("totalrecall: " + messageStart), r.err());
  }

  @Test
  void absurdThreadsAndDimAreUsageErrorsWithTheLimit() {
    Path out = dir.resolve("absurd.trm");
    int max = 8 * Runtime.getRuntime().availableProcessors();
    oneLineError(
        train(out, "--threads", "10000"), ExitCodes.USAGE, "--threads must be in [1, " + max + "]");
    oneLineError(train(out, "--dim", "2147483647"), ExitCodes.USAGE, "--dim must be <= 65536");
    // (B + M)² floats per worker buffer: far beyond any heap
    oneLineError(
        train(out, "--batch-size", "46340"),
        ExitCodes.USAGE,
        "not enough memory: dim 8, batchSize 46340");
    oneLineError(
        CliRunner.run(
            "evaluate", "--model", model.toString(), "--data", ncf.toString(), "--threads", "0"),
        ExitCodes.USAGE,
        "--threads must be in [1, ");
    assertFalse(Files.exists(out));
  }

  @Test
  void anUnwritableOrEmptyModelPathIsRefusedBeforeTheDataIsRead() throws IOException {
    Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
    // the data path does not exist either: the model path is checked first
    CliRunner.Result r =
        CliRunner.run(
            "train",
            "--data",
            dir.resolve("missing").toString(),
            "--model",
            notADir.resolve("m.trm").toString());
    oneLineError(
        r,
        ExitCodes.CANT_CREATE,
        "cannot create --model " + notADir.resolve("m.trm") + ": directory");
    assertFalse(r.err().contains(".tmp"), "names the model path, not a temporary: " + r.err());
    oneLineError(
        CliRunner.run("train", "--data", ncf.toString(), "--model", ""),
        ExitCodes.USAGE,
        "--model: the file name is empty");
    if (Files.isDirectory(
        Path.of("/proc/self"))) { // a directory where nothing can be created (even as root)
      oneLineError(
          CliRunner.run(
              "train", "--data", dir.resolve("missing").toString(), "--model", "/proc/self/m.trm"),
          ExitCodes.CANT_CREATE,
          "cannot create --model /proc/self/m.trm");
    }
  }

  @Test
  void divergenceThatStaysFiniteStopsTrainingAndSavesNothing() {
    Path out = dir.resolve("diverged.trm");
    CliRunner.Result r =
        train(
            out,
            "--epochs",
            "8",
            "--optimizer",
            "sgd",
            "--lr-decay",
            "constant",
            "--scorer",
            "dot",
            "--lr",
            "1e6");
    oneLineError(r, ExitCodes.TRAINING_DIVERGED, "training diverged in epoch 1: ");
    assertTrue(r.err().contains("no model written"), r.err());
    assertFalse(Files.exists(out));
  }

  /**
   * With --validation, the best finite validated epoch is saved (and said so). The learning rate
   * that diverges after a finite first epoch is searched on a grid: the test fails if none does.
   */
  @Test
  void withValidationTheBestFiniteEpochIsSavedAndSaidSo() throws IOException {
    Path out = dir.resolve("best.trm");
    for (String lr : List.of("20", "30", "45", "60", "80", "100", "130", "170", "220", "300")) {
      CliRunner.Result r =
          train(
              out,
              "--epochs",
              "6",
              "--optimizer",
              "sgd",
              "--lr-decay",
              "constant",
              "--scorer",
              "dot",
              "--lr",
              lr,
              "--validation",
              "--patience",
              "0");
      if (r.exitCode() == 0 || r.err().contains("training diverged in epoch 1:")) {
        continue;
      }
      oneLineError(r, ExitCodes.TRAINING_DIVERGED, "training diverged in epoch ");
      assertTrue(r.err().contains("; wrote the best finite epoch "), r.err());
      FactorModel m = ModelFormat.read(out);
      assertNull(NumericRange.problem(m.userTable(), m.itemTable(), m.scorer()));
      assertNotNull(m.metadata().get("diverged"));
      CliRunner.Result eval =
          CliRunner.run("evaluate", "--model", out.toString(), "--data", ncf.toString(), "--json");
      assertEquals(0, eval.exitCode(), eval.toString());
      assertTrue(Double.isFinite(eval.json().get("metrics").get("ndcg@10").asDouble()), eval.out());
      return;
    }
    throw new AssertionError("no learning rate on the grid diverged after a finite first epoch");
  }

  @Test
  void emptyTrainingInputIsADataErrorAndNoModelIsWritten() throws IOException {
    Path csv = Files.writeString(dir.resolve("header-only.csv"), "user,item\n");
    Path out = dir.resolve("empty.trm");
    oneLineError(
        CliRunner.run("train", "--data", csv.toString(), "--model", out.toString()),
        ExitCodes.DATA,
        "header-only.csv: no interactions after 1 lines (0 blank, 1 header)");
    assertFalse(Files.exists(out));
  }

  @Test
  void staleTemporariesOfAnInterruptedSaveAreRemovedByTheNextWrite() throws IOException {
    Path out = dir.resolve("stale.trm");
    Path stale = Files.writeString(dir.resolve("stale.trm.1a2b3c.tmp"), "half a model");
    Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    Path other = Files.writeString(dir.resolve("other.trm.1a2b3c.tmp"), "another model's");
    Files.setLastModifiedTime(other, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    assertEquals(0, train(out, "--epochs", "1").exitCode());
    assertFalse(Files.exists(stale), "the stale temporary of this model path is removed");
    assertTrue(Files.exists(other), "another model's temporaries are left alone");
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(
          List.of(), s.filter(p -> p.getFileName().toString().startsWith("stale.trm.")).toList());
    }
  }

  /** Every invalid method flag or combination is one line, exit 64, naming the flag. */
  @Test
  void invalidMethodFlagsAreOneLineUsageErrorsNamingTheFlag() {
    Path out = dir.resolve("bad-method.trm");
    String[][] cases = {
      {"--objective", "frobnicate"},
      {"--sampler", "psychic"},
      {"--update", "sideways"},
      {"--objective", "bpr", "--ratio", "x"},
      {"--objective", "bpr", "--ratio", "0:0"},
      {"--objective", "bpr", "--ratio", "-1:2"},
      {"--objective", "bpr", "--ratio", "1:2:3"},
      {"--objective", "bpr", "--ratio", "99999"},
      {"--objective", "bpr", "--sampler", "popularity", "--beta", "-1"},
      {"--objective", "bpr", "--sampler", "popularity", "--beta", "NaN"},
      {"--objective", "sampled-softmax", "--shared", "-1"},
      {"--objective", "sampled-softmax", "--shared", "16", "--ratio", "0:4"},
      {"--objective", "warp", "--margin", "0"},
      {"--objective", "hinge", "--margin", "-2"},
      {"--objective", "logistic", "--negative-weight", "-1"},
      {"--objective", "ccl"},
      {"--objective", "ccl", "--tau", "1", "--margin", "2"},
      {"--objective", "bi-infonce", "--sampler", "all"},
      {"--objective", "bpr", "--sampler", "in-batch"},
      {"--objective", "full-softmax", "--sampler", "uniform"},
      {"--objective", "bi-infonce", "--ratio", "0:2"},
      {"--objective", "bpr", "--logq-weight", "2"},
      {"--objective", "bi-infonce", "--logq-weight", "x"},
      {"--sampler", "mixed", "--extra-negatives", "0"},
      {"--checkpoint-every", "-1"},
      {"--convergence-out", "c.csv"},
      {"--validate-every-records", "100"},
      {"--objective", "warp", "--rank-weight", "top:0"},
      {"--objective", "warp", "--rank-weight", "linear"},
      {"--objective", "bpr", "--rank-weight", "auc"},
      {"--scorer", "gmf", "--objective", "ccl", "--tau", "1"},
      {"--scorer", "cosine-ish"},
      {"--objective", "ials", "--update", "onebp"},
      {"--objective", "bpr", "--sampler", "popularity", "--update", "onebp", "--beta", "0.5"},
      {"--objective", "bpr", "--update", "onebp", "--beta", "1"},
      {"--objective", "ials", "--solver", "lu"},
      {"--objective", "ials", "--cg-steps", "0"},
      {"--objective", "ials", "--solver", "cholesky", "--cg-steps", "5"},
      {"--objective", "ials", "--unobserved-weight", "0"},
      {"--objective", "ials", "--confidence", "sqrt"},
      {"--objective", "bpr", "--alpha", "1"},
      {"--objective", "pairwise-square", "--solver", "cg"},
      {"--objective", "pairwise-square", "--solver", "sgd", "--cg-steps", "5"},
      {"--objective", "pairwise-square", "--update", "onebp"},
      {"--objective", "pairwise-square", "--unobserved-weight", "0.1"},
      {"--objective", "sampled-softmax", "--sampler", "dns"},
      {"--objective", "bpr", "--sampler", "dns", "--ratio", "2:1"},
      {"--objective", "bpr", "--sampler", "dns", "--candidates", "0"},
      {"--objective", "bpr", "--candidates", "5"},
      {"--objective", "bpr", "--sampler", "aobpr"},
      {"--objective", "bpr", "--scorer", "dot", "--sampler", "aobpr", "--rank-scale", "-1"},
      {"--objective", "sampled-softmax", "--scorer", "dot", "--sampler", "aobpr"},
      {"--objective", "bpr", "--sampler", "adasir"},
      {"--objective", "is-bpr", "--sampler", "adasir", "--pool", "0"},
      {"--objective", "is-bpr", "--sampler", "adasir", "--proposal", "zipf"},
      {"--objective", "is-bpr", "--sampler", "adasir", "--ratio", "1:1"},
      {"--objective", "warp", "--sampler", "pris"},
      {"--objective", "is-bpr", "--sampler", "pris", "--ratio", "4"},
      {"--objective", "is-bpr", "--sampler", "dns"},
      {"--objective", "is-bpr", "--sampler", "in-batch"},
      {"--objective", "bpr", "--pool", "20"},
      {"--objective", "sampled-softmax", "--sampler", "kernel"},
      {
        "--objective",
        "sampled-softmax",
        "--scorer",
        "dot",
        "--sampler",
        "kernel",
        "--kernel-alpha",
        "0"
      },
      {"--objective", "bi-infonce", "--sampler", "queue", "--queue", "100", "--batch-size", "512"},
      {"--objective", "bi-infonce", "--sampler", "moco", "--momentum", "1"},
      {"--objective", "bi-infonce", "--sampler", "queue", "--momentum", "0.5"},
    };
    for (String[] flags : cases) {
      CliRunner.Result r = train(out, flags);
      assertEquals(ExitCodes.USAGE, r.exitCode(), String.join(" ", flags) + ": " + r);
      assertEquals(1, r.err().lines().count(), String.join(" ", flags) + ": " + r.err());
      boolean namesAFlag = false;
      for (String f : flags) {
        namesAFlag |= f.startsWith("--") && r.err().contains(f);
      }
      assertTrue(namesAFlag, String.join(" ", flags) + " gave: " + r.err());
    }
    assertFalse(Files.exists(out));
    CliRunner.Result missing = train(out, "--resume", dir.resolve("nope.ckpt").toString());
    assertEquals(ExitCodes.NO_INPUT, missing.exitCode(), missing.toString());
    assertTrue(missing.err().contains("--resume"), missing.err());
  }

  @Test
  void anEmptyIdInItemsIsRefusedWhereverItIs() {
    for (String items : List.of("1,2,", ",1,2", "1,,2", ",")) {
      oneLineError(
          CliRunner.run("audience", "--model", model.toString(), "--items", items),
          ExitCodes.USAGE,
          "--items needs a comma-separated list of item ids;");
    }
    assertEquals(
        0, CliRunner.run("audience", "--model", model.toString(), "--items", "1,2").exitCode());
  }

  @Test
  void trainingPrintsNoProgressWhenStderrIsNotATerminal() {
    CliRunner.Result r = train(dir.resolve("quiet.trm"), "--epochs", "1");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("", r.err());
  }
}
