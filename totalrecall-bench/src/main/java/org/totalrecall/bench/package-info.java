/**
 * JMH microbenchmarks of the numeric core: the {@link org.totalrecall.linalg.VectorOps} kernels
 * (Panama against scalar) and the batch loss. Run them with {@code scripts/jmh.sh}; the test suite
 * runs each once, briefly, as a smoke test ({@code JmhSmokeTest}). End-to-end figures (training
 * throughput against PyTorch, retrieval, evaluation) are the CLI's {@code bench} commands and
 * {@code scripts/bench.sh}.
 */
package org.totalrecall.bench;
