package org.totalrecall.eval;

/**
 * A model is being evaluated on data it was trained on, or on a split whose training part is not
 * what it was trained on. Evaluation refuses to produce a number in that case (test leakage is the
 * most common evaluation mistake). The message says what was found and how to fix it.
 */
public final class TestLeakageException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public TestLeakageException(String message) {
    super(message);
  }
}
