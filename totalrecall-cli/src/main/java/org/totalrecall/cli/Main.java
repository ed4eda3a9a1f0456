package org.totalrecall.cli;

/** Entry point of the {@code totalrecall} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("totalrecall: skeleton");
  }
}
