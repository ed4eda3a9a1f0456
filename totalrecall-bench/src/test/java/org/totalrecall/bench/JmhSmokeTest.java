package org.totalrecall.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark of this module once, in-process and briefly (no fork, no warm-up, one 20 ms
 * iteration): the annotation processor generated them, JMH finds them, and each produces a finite
 * positive time. A smoke test of the harness; the figures themselves mean nothing here.
 */
class JmhSmokeTest {
  @Test
  void everyBenchmarkRunsOnce() throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include("org\\.totalrecall\\.bench\\..*")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(20))
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    Set<String> names = new TreeSet<>();
    for (RunResult r : results) {
      double score = r.getPrimaryResult().getScore();
      String label =
          r.getParams().getBenchmark()
              + " "
              + r.getParams().getParamsKeys().stream()
                  .map(k -> k + "=" + r.getParams().getParam(k))
                  .toList();
      assertTrue(Double.isFinite(score) && score > 0, label + " scored " + score);
      names.add(r.getParams().getBenchmark().replaceFirst(".*\\.", ""));
    }
    // 4 kernels × 2 implementations + 3 loss directions + 2 Cholesky solvers × 2 widths + 5
    // samplers
    assertEquals(20, results.size(), "runs: " + results.size());
    assertEquals(
        Set.of(
            "dot", "axpy", "gemmAbt", "gemmAb", "lossAndGradient", "totalrecall", "ejml", "step"),
        names);
  }
}
