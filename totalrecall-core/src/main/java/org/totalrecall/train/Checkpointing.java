package org.totalrecall.train;

import java.nio.file.Path;
import org.totalrecall.util.Checks;

/**
 * Where and how often a run writes checkpoints, and the checkpoint it resumes from.
 *
 * @param file where checkpoints are written (replaced atomically after each one), or null for none
 * @param everyEpochs write one after every this many completed epochs (≥ 1) when {@code file} is
 *     set
 * @param resumeFrom a checkpoint of this same run to continue from, or null to start afresh
 */
public record Checkpointing(Path file, int everyEpochs, Path resumeFrom) {
  public Checkpointing {
    Checks.positive("everyEpochs", everyEpochs);
  }

  /** No checkpoints, no resume. */
  public static Checkpointing none() {
    return new Checkpointing(null, 1, null);
  }
}
