package org.totalrecall.train;

import org.totalrecall.util.Checks;

/**
 * One parameter of a training method (an objective or a sampler): its name, which is also its
 * command-line flag ({@code --NAME}, or {@code --no-NAME} for a switch that is on by default) and
 * its key in the model file's metadata, its kind, and a one-line description with the default.
 * Methods declare their parameters; the command line builds its flags from the declarations, so a
 * new method needs no edit of the CLI.
 *
 * @param name lower-case, dash-separated, e.g. {@code logq-weight}
 * @param kind the value's type
 * @param label the value's name in the help, e.g. {@code ALPHA}
 * @param description one line for {@code --help}
 */
public record Param(String name, Kind kind, String label, String description) {
  /** The type of a parameter's value. */
  public enum Kind {
    /** A finite float. */
    FLOAT,
    /** A 32-bit integer. */
    INT,
    /** A boolean that is true by default; the flag {@code --no-NAME} sets it to false. */
    SWITCH_OFF,
    /** A string, parsed by the method (e.g. a ratio {@code 4:4}). */
    STRING
  }

  public Param {
    Checks.notNull("name", name);
    Checks.notNull("kind", kind);
    if (!name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException(
          "name must be lower-case and dash-separated, got \"" + name + "\"");
    }
  }

  /** The command-line flag: {@code --NAME}, or {@code --no-NAME} for a switch. */
  public String flag() {
    return kind == Kind.SWITCH_OFF ? "--no-" + name : "--" + name;
  }
}
