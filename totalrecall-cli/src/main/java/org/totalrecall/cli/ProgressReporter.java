package org.totalrecall.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.totalrecall.train.TrainingListener;

/**
 * Shows training progress on stderr: a progress bar per epoch (only on an interactive console) and
 * one line per epoch and per validation (human output only). Silent with --quiet or --json. The
 * trainer serialises the callbacks, so no locking is needed here.
 */
final class ProgressReporter implements TrainingListener {
  private final PrintWriter err;
  private final PrintStream barStream;
  private final boolean lines;
  private final int epochs;
  private ProgressBar bar;
  private long barPosition;

  /**
   * @param err where epoch lines go
   * @param barStream where the bar is drawn, or null for no bar
   * @param lines whether to print a line per epoch and validation
   * @param epochs the configured number of epochs, for "epoch 3/30"
   */
  ProgressReporter(PrintWriter err, PrintStream barStream, boolean lines, int epochs) {
    this.err = err;
    this.barStream = barStream;
    this.lines = lines;
    this.epochs = epochs;
  }

  /**
   * Whether a progress bar can be drawn: stderr is a terminal ({@link Main#errTerminal()}), and
   * neither --quiet nor --json (a bar in a log file or a pipe is noise).
   */
  static boolean barWanted(boolean errTerminal, boolean quiet, boolean json) {
    return errTerminal && !quiet && !json;
  }

  @Override
  public void onEpochStart(int epoch, long epochRecords) {
    if (barStream == null) {
      return;
    }
    bar =
        new ProgressBarBuilder()
            .setTaskName("epoch " + epoch + "/" + epochs)
            .setInitialMax(epochRecords)
            .setUnit(" pos", 1)
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(barStream))
            .showSpeed()
            .build();
    barPosition = 0;
  }

  @Override
  public void onProgress(int epoch, long recordsInEpoch) {
    if (bar != null && recordsInEpoch > barPosition) { // workers may report out of order
      barPosition = recordsInEpoch;
      bar.stepTo(recordsInEpoch);
    }
  }

  @Override
  public void onEpochEnd(int epoch, double meanLoss, long recordsConsumed) {
    if (bar != null) {
      bar.stepTo(bar.getMax()); // the last few records may not have been reported
      bar.close();
      bar = null;
    }
    if (lines) {
      err.println(
          String.format(
              Locale.ROOT,
              "epoch %d/%d  loss %.4f  %,d positives so far",
              epoch,
              epochs,
              meanLoss,
              recordsConsumed));
      err.flush();
    }
  }

  @Override
  public void onEvaluation(
      int epoch, long recordsConsumed, Map<String, Double> metrics, boolean improved) {
    if (lines) {
      err.println(
          "  validation after epoch "
              + epoch
              + ": "
              + Format.metrics(metrics)
              + (improved ? "  (best so far)" : ""));
      err.flush();
    }
  }
}
