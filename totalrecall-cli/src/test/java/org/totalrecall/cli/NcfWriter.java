package org.totalrecall.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.Interactions;

/**
 * Writes a {@link Dataset} with one test item per user in the NCF layout ({@code
 * <name>.train.rating}, {@code <name>.test.rating}, {@code <name>.test.negative}), using dense
 * indices as the integer ids, with {@code numNegatives} seeded negatives per user drawn from the
 * items outside its train and test rows.
 */
final class NcfWriter {
  private NcfWriter() {}

  static void write(Dataset data, Path dir, String name, int numNegatives, long seed)
      throws IOException {
    Files.createDirectories(dir);
    Interactions train = data.train();
    Interactions test = data.test();
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(name + ".train.rating"))) {
      for (int u = 0; u < train.numRows(); u++) {
        for (int p = train.start(u); p < train.end(u); p++) {
          w.write(u + "\t" + train.cols()[p] + "\t5\t" + (1_000_000 + p) + "\n");
        }
      }
    }
    SplittableRandom rng = new SplittableRandom(seed);
    try (BufferedWriter rating = Files.newBufferedWriter(dir.resolve(name + ".test.rating"));
        BufferedWriter negative = Files.newBufferedWriter(dir.resolve(name + ".test.negative"))) {
      for (int u = 0; u < test.numRows(); u++) {
        int item = test.cols()[test.start(u)];
        rating.write(u + "\t" + item + "\t5\t" + (2_000_000 + u) + "\n");
        StringBuilder sb = new StringBuilder("(" + u + "," + item + ")");
        boolean[] used = new boolean[data.numItems()];
        used[item] = true;
        for (int p = train.start(u); p < train.end(u); p++) {
          used[train.cols()[p]] = true;
        }
        for (int n = 0; n < numNegatives; n++) {
          int j;
          do {
            j = rng.nextInt(data.numItems());
          } while (used[j]);
          used[j] = true;
          sb.append('\t').append(j);
        }
        negative.write(sb + "\n");
      }
    }
  }
}
