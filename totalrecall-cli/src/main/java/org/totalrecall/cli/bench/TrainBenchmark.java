package org.totalrecall.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.data.DataFormat;
import org.totalrecall.data.DataLoader;
import org.totalrecall.data.Interactions;
import org.totalrecall.data.LoadOptions;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.train.InfoNceSpec;
import org.totalrecall.train.LearningRateSchedule;
import org.totalrecall.train.TrainConfig;
import org.totalrecall.train.TrainResult;
import org.totalrecall.train.Trainer;
import org.totalrecall.util.Checks;

/**
 * Training throughput of Bi-InfoNCE on ML-1M (the NCF split's {@code ml-1m.train.rating}) with the
 * paper/peer recipe (batch 512, dim 64, cosine τ = 0.111, Adam with constant η = 0.002), measured
 * the way the PyTorch peer reference ({@code shared/peers/torch_twotower.py}) measures it:
 * positives per second of each epoch, and the median of epochs 2..4 (epoch 1 warms the JIT up). No
 * validation runs, so every second counted is training.
 */
public final class TrainBenchmark {
  private TrainBenchmark() {}

  /**
   * Trains and reports {@code threads}, {@code epochs}, {@code positives}, per-epoch {@code
   * positivesPerSecond}, {@code medianPositivesPerSecond2to4} (median of epochs 2..4, or of all
   * epochs when fewer than 2 ran), {@code vectorOps}, {@code javaVersion} and the {@code config}.
   *
   * @param ncfDir the NCF folder (read with {@link DataLoader}, format NCF)
   * @throws IOException if the file cannot be read
   * @throws org.totalrecall.data.InteractionFormatException naming file, line and field for a
   *     malformed row
   */
  public static Map<String, Object> run(Path ncfDir, int threads, int epochs, long seed)
      throws IOException {
    Checks.positive("threads", threads);
    Checks.positive("epochs", epochs);
    Interactions train = DataLoader.load(ncfDir, DataFormat.NCF, LoadOptions.defaults()).train();
    // exactly the peer's recipe (constant η = 0.002, τ = 0.111, plain log q), so that the
    // comparison is like for like
    TrainConfig config =
        TrainConfig.defaults()
            .withLearningRate(0.002f)
            .withTemperature(0.111f)
            .withLearningRateDecay(LearningRateSchedule.Decay.CONSTANT)
            .withObjective(InfoNceSpec.biInfoNce().withLogQWeight(1f))
            .withThreads(threads)
            .withEpochs(epochs)
            .withSeed(seed);
    TrainResult result = Trainer.train(train, null, null, config, null, null);
    List<Double> rates = result.summary().epochPositivesPerSecond();
    List<Double> warm = rates.size() > 1 ? rates.subList(1, Math.min(4, rates.size())) : rates;
    double[] sorted = warm.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median =
        sorted.length % 2 == 1
            ? sorted[sorted.length / 2]
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
    System.out.println(
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
  }
}
