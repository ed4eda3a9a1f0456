package org.totalrecall.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.totalrecall.data.IdIndex;
import org.totalrecall.io.ModelFormat;
import org.totalrecall.model.FactorModel;

/** Loading a model named on the command line and resolving external ids against it. */
final class ModelFiles {
  private ModelFiles() {}

  /**
   * Reads the model at {@code path}.
   *
   * @throws CliException 66 if the file does not exist or is a directory
   * @throws IOException if it cannot be read; a {@link org.totalrecall.io.ModelFormatException}
   *     (exit 65) if it is not a valid model file
   */
  static FactorModel load(Path path) throws IOException {
    requireFile(path);
    return ModelFormat.read(path);
  }

  /**
   * Checks that {@code path} is a file, as {@link #load} does, without reading it.
   *
   * @throws CliException 66 if the file does not exist or is a directory
   */
  static void requireFile(Path path) {
    if (!Files.exists(path)) {
      throw CliException.noInput("model file not found: " + path);
    }
    if (Files.isDirectory(path)) {
      throw CliException.noInput("--model " + path + " is a directory, not a model file");
    }
  }

  /**
   * The dense index of external id {@code id} in {@code ids}.
   *
   * @param kind "user" or "item", for the message
   * @throws CliException 65 naming the id if the model does not know it
   */
  static int resolve(IdIndex ids, String id, String kind) {
    int index = ids.indexOf(id);
    if (index < 0) {
      throw CliException.data(
          "unknown "
              + kind
              + " id \""
              + id
              + "\": the model has no such "
              + kind
              + " (it has "
              + ids.size()
              + " "
              + kind
              + "s"
              + example(ids)
              + ")");
    }
    return index;
  }

  private static String example(IdIndex ids) {
    if (ids.size() == 0) {
      return "";
    }
    return ", e.g. \""
        + ids.idOf(0)
        + "\""
        + (ids.size() > 1 ? ", \"" + ids.idOf(ids.size() - 1) + "\"" : "");
  }
}
