package org.totalrecall.linalg;

/**
 * Chooses the {@link VectorOps} implementation once, at class initialisation, from the system
 * property {@code totalrecall.vectorOps} = {@code auto} (default) | {@code scalar} | {@code
 * panama}. The Panama kernels are loaded reflectively so that nothing outside {@code
 * org.totalrecall.simd} links against the incubator module.
 */
public final class VectorOpsProvider {
  private static final System.Logger LOG = System.getLogger(VectorOpsProvider.class.getName());

  static final VectorOps BEST = choose(System.getProperty("totalrecall.vectorOps", "auto"));

  private VectorOpsProvider() {}

  /** Returns the implementation for {@code mode}: auto, scalar or panama. */
  public static VectorOps choose(String mode) {
    return switch (mode) {
      case "scalar" -> new ScalarVectorOps();
      case "auto" -> {
        VectorOps panama = panamaOrNull();
        yield panama != null ? panama : new ScalarVectorOps();
      }
      case "panama" -> {
        VectorOps panama = panamaOrNull();
        if (panama == null) {
          throw new IllegalStateException(
              "totalrecall.vectorOps=panama but the Vector API is unavailable; add --add-modules jdk.incubator.vector");
        }
        yield panama;
      }
      default ->
          throw new IllegalArgumentException(
              "totalrecall.vectorOps must be auto, scalar or panama; got '" + mode + "'");
    };
  }

  /**
   * Loads {@code org.totalrecall.simd.PanamaVectorOps}, or returns null when the Vector API is
   * absent.
   */
  public static VectorOps panamaOrNull() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Vector API not enabled; using scalar kernels (add --add-modules jdk.incubator.vector)");
      return null;
    }
    try {
      return Class.forName("org.totalrecall.simd.PanamaVectorOps")
          .asSubclass(VectorOps.class)
          .getDeclaredConstructor()
          .newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "Vector API unusable; using scalar kernels", e);
      return null;
    }
  }
}
