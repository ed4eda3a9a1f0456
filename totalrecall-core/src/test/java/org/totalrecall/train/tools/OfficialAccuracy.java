package org.totalrecall.train.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.totalrecall.data.DataLoader;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.LoadOptions;
import org.totalrecall.eval.EvalOptions;
import org.totalrecall.eval.EvaluationResult;
import org.totalrecall.eval.Evaluator;
import org.totalrecall.eval.Protocol;
import org.totalrecall.eval.ProtocolOptions;
import org.totalrecall.eval.ProtocolSplit;
import org.totalrecall.eval.Protocols;
import org.totalrecall.train.TrainConfig;
import org.totalrecall.train.TrainResult;
import org.totalrecall.train.Trainer;

/**
 * Test-scope tool (not a test): trains with {@link TrainConfig#defaults()} (threads and epochs
 * overridable) on a data folder through the project's own loader, protocol split and {@link
 * Evaluator}, and prints the metrics. Usage: {@code OfficialAccuracy <dir> <ncf|full> [key=value
 * ...]} with keys epochs, threads, seed, lr, tau, batch, decay.
 */
public final class OfficialAccuracy {
  private OfficialAccuracy() {}

  public static void main(String[] args) throws IOException {
    Dataset data = DataLoader.load(Path.of(args[0]), null, LoadOptions.defaults());
    Protocol protocol = args[1].equals("ncf") ? Protocol.NCF : Protocol.FULL;
    ProtocolSplit split = Protocols.split(protocol, data, ProtocolOptions.defaults());
    TrainConfig c = TrainConfig.defaults();
    for (int a = 2; a < args.length; a++) {
      String[] kv = args[a].split("=", 2);
      c =
          switch (kv[0]) {
            case "epochs" -> c.withEpochs(Integer.parseInt(kv[1]));
            case "threads" -> c.withThreads(Integer.parseInt(kv[1]));
            case "seed" -> c.withSeed(Long.parseLong(kv[1]));
            case "lr" -> c.withLearningRate(Float.parseFloat(kv[1]));
            case "tau" -> c.withTemperature(Float.parseFloat(kv[1]));
            case "batch" -> c.withBatchSize(Integer.parseInt(kv[1]));
            case "decay" ->
                c.withLearningRateDecay(
                    org.totalrecall.train.LearningRateSchedule.Decay.valueOf(kv[1]));
            default -> throw new IllegalArgumentException("unknown key " + kv[0]);
          };
    }
    System.out.println("config " + c.toMap());
    TrainResult r = Trainer.train(split.train(), split.users(), split.items(), c, null, null);
    EvaluationResult e = Evaluator.evaluate(r.model(), split, EvalOptions.defaults());
    Map<String, Double> m = new TreeMap<>(e.metrics());
    System.out.println("metrics " + m);
    System.out.println("positivesPerSecond " + r.summary().positivesPerSecond());
  }
}
