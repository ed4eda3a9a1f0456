/**
 * SIMD kernels on the Vector API: the only package that imports {@code jdk.incubator.vector}.
 *
 * <p>{@link org.totalrecall.simd.PanamaVectorOps} implements {@link
 * org.totalrecall.linalg.VectorOps} and is loaded reflectively by {@link
 * org.totalrecall.linalg.VectorOpsProvider}, so nothing else links against the incubator module and
 * the scalar kernels remain when it is absent.
 *
 * <p>Ideas used: Lucene's {@code VectorUtil} shape for the vector loops (a static final species,
 * several accumulators, a scalar tail, vector code only for lengths of two vectors or more); for
 * the matrix products the register-blocked micro-kernel over a packed operand of Goto &amp; van de
 * Geijn, "Anatomy of high-performance matrix multiplication" (ACM TOMS 34(3), 2008), as in BLIS: C
 * tiles held in registers, B packed so that its k-th slice is one contiguous vector load, A values
 * broadcast.
 */
package org.totalrecall.simd;
