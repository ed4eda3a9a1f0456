package org.totalrecall.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ActivationsTest {
  @Test
  void softplusMatchesItsDefinitionWhereThatIsAccurate() {
    for (double x = -30; x <= 30; x += 0.37) {
      double direct = Math.log(1 + Math.exp(x));
      assertEquals(direct, Activations.softplus(x), 1e-14 * Math.max(1, direct), "x = " + x);
    }
  }

  @Test
  void softplusKeepsItsTailsAndAsymptotes() {
    assertEquals(Math.exp(-50), Activations.softplus(-50), 1e-35); // 1 + e^−50 would round to 1
    assertEquals(1e4, Activations.softplus(1e4), 0.0);
    assertEquals(0.0, Activations.softplus(-1e4), 0.0);
    assertEquals(800.0, Activations.softplus(800), 0.0); // e^800 overflows a double
    assertEquals(Math.log(2), Activations.softplus(0), 0.0);
  }

  @Test
  void sigmoidIsTheDerivativeOfSoftplusAndSymmetric() {
    for (double x = -20; x <= 20; x += 0.53) {
      double h = 1e-5;
      double numeric = (Activations.softplus(x + h) - Activations.softplus(x - h)) / (2 * h);
      assertEquals(numeric, Activations.sigmoid(x), 1e-9, "x = " + x);
      assertEquals(1.0, Activations.sigmoid(x) + Activations.sigmoid(-x), 1e-15, "x = " + x);
    }
    assertEquals(1.0, Activations.sigmoid(1e4), 0.0);
    assertEquals(0.0, Activations.sigmoid(-1e4), 0.0);
    assertEquals(Math.exp(-700), Activations.sigmoid(-700), 1e-310); // keeps its relative accuracy
    assertEquals(0.5, Activations.sigmoid(0), 0.0);
  }
}
