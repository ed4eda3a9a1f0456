package org.totalrecall.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.train.TrainConfig;
import org.totalrecall.train.TrainResult;
import org.totalrecall.train.Trainer;
import org.totalrecall.util.Checks;

/**
 * Training throughput of Bi-InfoNCE on ML-1M (the NCF split's {@code ml-1m.train.rating}) with
 * the paper/peer recipe (batch 512, dim 64, cosine τ = 0.111, Adam), measured the way the PyTorch
 * peer reference ({@code shared/peers/torch_twotower.py}) measures it: positives per second of
 * each epoch, and the median of epochs 2..4 (epoch 1 warms the JIT up). No validation runs, so
 * every second counted is training.
 */
public final class TrainBenchmark {
  private TrainBenchmark() {}

  /**
   * Trains and reports {@code threads}, {@code epochs}, {@code positives}, per-epoch
   * {@code positivesPerSecond}, {@code medianPositivesPerSecond2to4} (median of epochs 2..4, or
   * of all epochs when fewer than 2 ran), {@code vectorOps}, {@code javaVersion} and the
   * {@code config}.
   *
   * @param ncfDir folder holding {@code ml-1m.train.rating} (tab-separated user, item, rating,
   *     time; dense 0-based ids)
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException naming file, line and field for a malformed row
   */
  public static Map<String, Object> run(Path ncfDir, int threads, int epochs, long seed) throws IOException {
    Checks.positive("threads", threads);
    Checks.positive("epochs", epochs);
    Interactions train = readNcfTrain(ncfDir.resolve("ml-1m.train.rating"));
    TrainConfig config = TrainConfig.defaults().withThreads(threads).withEpochs(epochs).withSeed(seed);
    TrainResult result = Trainer.train(train, null, null, config, null, null);
    List<Double> rates = result.summary().epochPositivesPerSecond();
    List<Double> warm = rates.size() > 1 ? rates.subList(1, Math.min(4, rates.size())) : rates;
    double[] sorted = warm.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("benchmark", "train-bi-infonce-ml-1m");
    out.put("threads", threads);
    out.put("epochs", epochs);
    out.put("positives", train.size());
    out.put("positivesPerSecond", rates);
    out.put("medianPositivesPerSecond2to4", median);
    out.put("epochLosses", result.summary().epochLosses());
    out.put("vectorOps", VectorOps.best().name());
    out.put("javaVersion", Runtime.version().toString());
    out.put("availableProcessors", Runtime.getRuntime().availableProcessors());
    out.put("config", config.toMap());
    return out;
  }

  /** Reads the NCF train file: user, item (dense, 0-based) in the first two tab-separated fields. */
  private static Interactions readNcfTrain(Path file) throws IOException {
    int[] users = new int[1 << 20];
    int[] items = new int[1 << 20];
    int n = 0;
    int numUsers = 0;
    int numItems = 0;
    try (BufferedReader in = Files.newBufferedReader(file)) {
      String line;
      long lineNumber = 0;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        String[] fields = line.split("\t", -1);
        if (fields.length < 2) {
          throw new IllegalArgumentException(file + ":" + lineNumber + ": expected at least 2 tab-separated fields, got "
              + fields.length);
        }
        int u = parseIndex(fields[0], file, lineNumber, "user");
        int i = parseIndex(fields[1], file, lineNumber, "item");
        if (n == users.length) {
          users = Arrays.copyOf(users, 2 * n);
          items = Arrays.copyOf(items, 2 * n);
        }
        users[n] = u;
        items[n] = i;
        n++;
        numUsers = Math.max(numUsers, u + 1);
        numItems = Math.max(numItems, i + 1);
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException(file + ": no interactions");
    }
    return Interactions.fromPairs(numUsers, numItems, users, items, null, null, n);
  }

  private static int parseIndex(String raw, Path file, long lineNumber, String field) {
    try {
      int v = Integer.parseInt(raw.trim());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(file + ":" + lineNumber + ": field '" + field
          + "' must be a non-negative integer, got \"" + raw + "\"");
    }
  }

  /**
   * Prints the result of {@link #run} as JSON. Arguments: ncfDir [threads=2] [epochs=4] [seed=1].
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: TrainBenchmark <ml-1m-ncf dir> [threads=2] [epochs=4] [seed=1]");
      return;
    }
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 1L;
    Map<String, Object> result = run(Path.of(args[0]), threads, epochs, seed);
    System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
  }
}
