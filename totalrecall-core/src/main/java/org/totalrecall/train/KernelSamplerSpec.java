package org.totalrecall.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.sampler.CandidateLayout;
import org.totalrecall.sampler.KernelRowSampler;
import org.totalrecall.sampler.RowSampler;
import org.totalrecall.sampler.SamplerContext;

/**
 * {@code kernel}: the quadratic-kernel sampler of Blanc &amp; Rendle 2018 (Rendle's survey sec.
 * 4.3.1; {@link KernelRowSampler}): item negatives with q(j|u) ∝ α·⟨u, h_j⟩² + 1, drawn by divide
 * and conquer over a tree of Gram matrices rebuilt each epoch, with their exact log Q, for sampled
 * softmax ({@code --objective sampled-softmax --sampler kernel}). Dot-product models; item
 * negatives per row ({@code --ratio 0:m}, 0:32 by default as sampled softmax's).
 *
 * @param ratio negatives per positive: item negatives only
 * @param alpha α of the kernel
 */
public record KernelSamplerSpec(Ratio ratio, float alpha) implements SamplerSpec {
  /** The default α. */
  public static final float DEFAULT_ALPHA = 100f;

  /** Items per leaf of the tree. */
  static final int LEAF = 64;

  static final SpecType<SamplerSpec> TYPE =
      new SpecType<>(
          "kernel",
          "Quadratic-kernel sampling, q ~ alpha*<u,h>^2 + 1 by divide and conquer over Gram matrices, exact log Q (Blanc &"
              + " Rendle 2018; survey sec. 4.3.1); dot scores.",
          List.of(
              StaticSamplerSpec.RATIO,
              new Param(
                  "kernel-alpha",
                  Param.Kind.FLOAT,
                  "A",
                  "alpha of the kernel sampler's alpha*o^2 + 1 (default "
                      + (int) DEFAULT_ALPHA
                      + ").")),
          p ->
              new KernelSamplerSpec(
                  Ratio.parse(p.getString("ratio", "0:32")),
                  p.getFloat("kernel-alpha", DEFAULT_ALPHA)));

  public KernelSamplerSpec {
    if (ratio == null) {
      throw new IllegalArgumentException("--ratio must be given");
    }
    ModelAwareSamplers.requireItemNegatives("kernel", ratio);
    if (!(alpha > 0f) || Float.isInfinite(alpha)) {
      throw new IllegalArgumentException("--kernel-alpha must be > 0, got " + alpha);
    }
  }

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ratio", ratio.toString());
    m.put("kernel-alpha", MapValues.decimal(alpha));
    return m;
  }

  @Override
  public String modelProblem(ModelSpec model) {
    return ModelAwareSamplers.dotProblem(
        "kernel", "draws by a quadratic kernel of dot-product scores", model);
  }

  @Override
  public CandidateLayout layout() {
    return CandidateLayout.PER_ROW;
  }

  @Override
  public int maxCandidates(int batchSize) {
    return 1 + ratio.itemNegatives();
  }

  @Override
  public RowSampler createRows(SamplerContext context) {
    return new KernelRowSampler(
        context.train(),
        context.users(),
        context.items(),
        ratio.itemNegatives(),
        alpha,
        LEAF,
        VectorOps.best());
  }
}
