package org.totalrecall.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.FactorModel;

/**
 * {@link Trainer#trainFrom}: started from the very tables the seeded initialisation draws, one
 * thread, it is the ordinary run bit for bit; tables of the wrong shape are refused.
 */
class TrainFromTest {
  @Test
  void fromTheSeededInitialTablesItIsTheOrdinaryRun() {
    SplittableRandom rnd = new SplittableRandom(2);
    int users = 80;
    int items = 60;
    int n = 900;
    int[] u = new int[n];
    int[] i = new int[n];
    for (int k = 0; k < n; k++) {
      u[k] = rnd.nextInt(users);
      i[k] = (u[k] * 3 + rnd.nextInt(12)) % items;
    }
    Interactions train = Interactions.fromPairs(users, items, u, i, null, null, n);
    TrainConfig config =
        TrainConfig.defaults()
            .withDim(8)
            .withEpochs(3)
            .withBatchSize(64)
            .withThreads(1)
            .withSeed(7);
    FactorModel ordinary = Trainer.train(train, null, null, config, null, null).model();
    SplittableRandom master = new SplittableRandom(7);
    EmbeddingTable startUsers = EmbeddingTable.gaussian(users, 8, config.initStd(), master.split());
    EmbeddingTable startItems = EmbeddingTable.gaussian(items, 8, config.initStd(), master.split());
    float[] before = startUsers.data().clone();
    FactorModel from = Trainer.trainFrom(train, config, startUsers, startItems).model();
    assertArrayEquals(ordinary.userTable().data(), from.userTable().data());
    assertArrayEquals(ordinary.itemTable().data(), from.itemTable().data());
    assertArrayEquals(before, startUsers.data(), "the starting tables are not modified");
    assertThrows(
        IllegalArgumentException.class,
        () -> Trainer.trainFrom(train, config, new EmbeddingTable(users, 4), startItems));
  }
}
