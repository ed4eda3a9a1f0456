package org.totalrecall.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.totalrecall.linalg.Exp;
import org.totalrecall.linalg.ScalarVectorOps;
import org.totalrecall.linalg.VectorOps;

/**
 * The SIMD kernels give the same bits whatever the JIT has compiled: the results of this JVM
 * (kernels hot and compiled by C2) are compared with those of a child JVM run with {@code -Xint}
 * (everything interpreted, the Vector API on its Java fallback). Before horizontal sums used a
 * fixed order and the exponential was {@link Exp}'s, the two differed in the last bits and a
 * one-thread training run was not reproducible. Also: {@link Exp} against {@link Math#exp}.
 */
class ExecutionModeDeterminismTest {
  /**
   * The probe: prints the bits of dot products and exponential sums of seeded inputs, one per line.
   */
  public static void main(String[] args) {
    for (String line : probe(Integer.parseInt(args[0]))) {
      System.out.println(line);
    }
  }

  static List<String> probe(int rounds) {
    VectorOps ops = new PanamaVectorOps();
    SplittableRandom rng = new SplittableRandom(99);
    List<String> out = new ArrayList<>();
    float[] a = new float[200];
    float[] b = new float[200];
    for (int r = 0; r < rounds; r++) {
      int len = 32 + rng.nextInt(160);
      for (int i = 0; i < len; i++) {
        a[i] = (float) rng.nextGaussian() * 3f;
        b[i] = (float) rng.nextGaussian();
      }
      float dot = ops.dot(a, 0, b, 0, len);
      float sum = ops.expShiftSum(a, 0, len, 1.5f);
      out.add(
          Integer.toHexString(Float.floatToRawIntBits(dot))
              + " "
              + Integer.toHexString(Float.floatToRawIntBits(sum))
              + " "
              + Integer.toHexString(Float.floatToRawIntBits(a[len / 2])));
    }
    return out;
  }

  @Test
  void compiledKernelsGiveTheBitsOfInterpretedOnes() throws IOException, InterruptedException {
    for (int warm = 0; warm < 200; warm++) {
      probe(50); // make the kernels hot, so that C2 compiles them
    }
    List<String> compiled = probe(300);
    // everything interpreted; and C1 only (the tier a kernel runs in while C2 has not compiled it
    // yet)
    assertEquals(compiled, child("-Xint"));
    assertEquals(compiled, child("-XX:TieredStopAtLevel=1"));
  }

  private static List<String> child(String mode) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            mode,
            "--add-modules",
            "jdk.incubator.vector",
            "-cp",
            System.getProperty("java.class.path"),
            ExecutionModeDeterminismTest.class.getName(),
            "300");
    Process p = pb.start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), mode + ": " + stdout);
    return stdout.lines().toList();
  }

  @Test
  void expIsWithinOneUlpOfMathExpAndEqualsTheScalarKernel() {
    SplittableRandom rng = new SplittableRandom(3);
    double worst = 0;
    for (int i = 0; i < 1_000_000; i++) {
      float x = (float) (rng.nextDouble() * (Exp.MAX_X - Exp.MIN_X) + Exp.MIN_X);
      double t = Math.exp(x);
      worst = Math.max(worst, Math.abs(Exp.exp(x) - t) / Math.ulp((float) t));
    }
    assertTrue(worst <= 1.0, "max error " + worst + " ulp");
    assertEquals(1f, Exp.exp(0f));
    assertEquals(0f, Exp.exp(-88f));
    assertEquals(0f, Exp.exp(Float.NEGATIVE_INFINITY));
    assertEquals(Float.POSITIVE_INFINITY, Exp.exp(89f));
    assertTrue(Float.isNaN(Exp.exp(Float.NaN)));
    float[] x = new float[333];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rng.nextDouble() * 200 - 100);
    }
    x[7] = Float.NaN;
    x[8] = Float.NEGATIVE_INFINITY;
    float[] y = x.clone();
    new PanamaVectorOps().expShiftSum(x, 0, x.length, 0.5f);
    new ScalarVectorOps().expShiftSum(y, 0, y.length, 0.5f);
    for (int i = 0; i < x.length; i++) {
      assertEquals(Float.floatToRawIntBits(y[i]), Float.floatToRawIntBits(x[i]), "lane " + i);
    }
  }
}
