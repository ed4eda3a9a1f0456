package org.totalrecall.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;

/**
 * The recipes of the golden model files and the program that generated them, each once, with the
 * build of its format version: {@code src/test/resources/golden/model-v1.trm} (version 1, cosine)
 * and {@code model-v2.trm} (version 2: the same tables with a gmf scorer and its weights). The
 * files are committed and must keep loading unchanged in every later build ({@link
 * GoldenModelFileTest}); do not regenerate them when the format changes: add a new golden file for
 * the new version.
 *
 * <p>Run from the module directory: {@code java ... org.totalrecall.io.GoldenModelFile
 * src/test/resources/golden/model-v2.trm} (writes the current version's recipe).
 */
public final class GoldenModelFile {
  /** Resource path of the version-1 golden file. */
  public static final String RESOURCE_V1 = "/golden/model-v1.trm";

  /** Resource path of the version-2 golden file (gmf). */
  public static final String RESOURCE_V2 = "/golden/model-v2.trm";

  /** h of the version-2 golden file's gmf scorer: exact in float32, one negative. */
  static final float[] GMF_WEIGHTS = {0.5f, -1f, 2f};

  static final int DIM = 3;
  static final List<String> USER_IDS = List.of("alice", "bob", "zoë", "用户4");
  static final int NUM_ITEMS = 5;

  private GoldenModelFile() {}

  /** Entry (row, k) of the user table: exact in float32, with a negative zero and a subnormal. */
  static float userValue(int row, int k) {
    if (row == 3 && k == 2) {
      return -0f;
    }
    if (row == 3 && k == 1) {
      return Float.MIN_VALUE;
    }
    return (row + 1) * 0.5f - k * 0.25f;
  }

  /** Entry (row, k) of the item table: exact in float32. */
  static float itemValue(int row, int k) {
    return (k == row % DIM ? 1f : 0f) - row * 0.125f;
  }

  /** The deterministic model the version-1 golden file holds. */
  static FactorModel model() {
    return model(Scorer.cosine(0.25f), 1);
  }

  /** The deterministic model the version-2 golden file holds: gmf with {@link #GMF_WEIGHTS}. */
  static FactorModel modelV2() {
    return model(Scorer.gmf(GMF_WEIGHTS), 2);
  }

  private static FactorModel model(Scorer scorer, int version) {
    EmbeddingTable users = new EmbeddingTable(USER_IDS.size(), DIM);
    for (int r = 0; r < users.rows(); r++) {
      for (int k = 0; k < DIM; k++) {
        users.data()[users.offset(r) + k] = userValue(r, k);
      }
    }
    EmbeddingTable items = new EmbeddingTable(NUM_ITEMS, DIM);
    for (int r = 0; r < items.rows(); r++) {
      for (int k = 0; k < DIM; k++) {
        items.data()[items.offset(r) + k] = itemValue(r, k);
      }
    }
    // alice: items 0, 2; bob: item 1; zoë: none; 用户4: items 3, 4
    Interactions seen =
        Interactions.fromPairs(
            USER_IDS.size(),
            NUM_ITEMS,
            new int[] {0, 0, 1, 3, 3},
            new int[] {0, 2, 1, 3, 4},
            null,
            null,
            5);
    return new FactorModel(
        users,
        items,
        IdIndex.of(USER_IDS),
        IdIndex.identity(NUM_ITEMS),
        scorer,
        metadata(version),
        seen);
  }

  /** The metadata the golden file holds. */
  static Map<String, Object> metadata(int version) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("epochs", 2);
    summary.put("bestValidation", new LinkedHashMap<>(Map.of("ndcg@10", 0.5)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("objective", "BI_INFONCE");
    m.put("note", "golden model, format version " + version);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("dim", DIM);
    config.put("lr", 0.01);
    m.put("config", config);
    m.put("summary", summary);
    m.put("tags", List.of("a", "b"));
    return m;
  }

  /** Writes the golden file of the current version (2) to {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: GoldenModelFile <output.trm>");
      System.exit(64);
    }
    ModelFormat.write(modelV2(), Path.of(args[0]));
  }
}
