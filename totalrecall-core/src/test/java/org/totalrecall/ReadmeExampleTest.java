package org.totalrecall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.DataLoader;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.Interactions;
import org.totalrecall.data.LoadOptions;
import org.totalrecall.data.SyntheticData;
import org.totalrecall.eval.EvalOptions;
import org.totalrecall.eval.EvaluationResult;
import org.totalrecall.eval.Evaluator;
import org.totalrecall.eval.Protocol;
import org.totalrecall.eval.ProtocolOptions;
import org.totalrecall.eval.ProtocolSplit;
import org.totalrecall.eval.Protocols;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Neighbors;
import org.totalrecall.retrieval.Recommender;
import org.totalrecall.train.TrainConfig;
import org.totalrecall.train.TrainResult;
import org.totalrecall.train.Trainer;

/** The library example of README.md, run as written on a LightGCN-layout copy of planted data. */
class ReadmeExampleTest {
  @Test
  void readmeLibraryExampleRunsEndToEnd(@TempDir Path dir) throws IOException {
    Dataset planted = SyntheticData.generate(new SyntheticData.Spec(300, 200, 4, 12, 0.9, 5L));
    writeLightGcn(planted.train(), dir.resolve("train.txt"));
    writeLightGcn(planted.test(), dir.resolve("test.txt"));

    // --- as in README.md ("As a library") ---
    Dataset data = DataLoader.load(dir, null, LoadOptions.defaults());
    ProtocolSplit split = Protocols.split(Protocol.FULL, data, ProtocolOptions.defaults());
    TrainResult result =
        Trainer.train(
            split.train(),
            data.users(),
            data.items(),
            TrainConfig.defaults().withEpochs(40).withThreads(1),
            null,
            null);
    FactorModel model = result.model();
    Recommender rec = new Recommender(model, Runtime.getRuntime().availableProcessors());
    Neighbors items = rec.recommendItems(0, 10, true);
    Neighbors users = rec.recommendUsers(25, 10, true);
    EvaluationResult r = Evaluator.evaluate(model, split, EvalOptions.defaults());
    ModelFormat.write(model, dir.resolve("model.trm"));
    // ---

    assertEquals(10, items.size());
    assertEquals(10, users.size());
    for (int k = 0; k < 10; k++) {
      assertFalse(split.train().contains(0, items.index(k)), "recommended a training item");
    }
    // chance is 20 / 200 = 0.1: the planted clusters must lift it well above
    assertTrue(r.metrics().get("recall@20") > 0.2, "recall@20 " + r.metrics().get("recall@20"));
    assertEquals(model.numItems(), ModelFormat.read(dir.resolve("model.trm")).numItems());
  }

  private static void writeLightGcn(Interactions m, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file)) {
      for (int u = 0; u < m.numUsers(); u++) {
        w.write(Integer.toString(u));
        for (int p = m.start(u); p < m.end(u); p++) {
          w.write(' ');
          w.write(Integer.toString(m.cols()[p]));
        }
        w.write('\n');
      }
    }
  }
}
