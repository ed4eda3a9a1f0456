package org.totalrecall.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyntheticDataTest {
  @Test
  void plantsClustersAndHoldsOutOneUnseenItemPerUser() {
    SyntheticData.Spec spec = SyntheticData.Spec.demo();
    Dataset d = SyntheticData.generate(spec);
    assertEquals(spec.numUsers(), d.numUsers());
    assertEquals(spec.numUsers() * (spec.interactionsPerUser() - 1), d.train().size());
    assertEquals(spec.numUsers(), d.test().size());
    double inCluster = 0;
    for (int u = 0; u < d.numUsers(); u++) {
      int testItem = d.test().cols()[d.test().start(u)];
      assertFalse(d.train().contains(u, testItem), "test item of user " + u + " is in train");
      inCluster += SyntheticData.inClusterFraction(spec, d.train(), u);
    }
    // affinity 0.9 plus the uniform share that lands in-cluster by chance (0.1 / 10 clusters)
    double mean = inCluster / d.numUsers();
    assertTrue(mean > 0.85 && mean < 0.95, "mean in-cluster fraction " + mean);
  }

  @Test
  void isDeterministicForASeed() {
    SyntheticData.Spec spec = new SyntheticData.Spec(100, 200, 4, 10, 0.8, 3L);
    assertEquals(
        java.util.Arrays.toString(SyntheticData.generate(spec).train().cols()),
        java.util.Arrays.toString(SyntheticData.generate(spec).train().cols()));
  }
}
