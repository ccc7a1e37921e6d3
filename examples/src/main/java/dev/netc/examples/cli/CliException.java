package dev.netc.examples.cli;

/** A problem the user can fix that is not a usage error (a file of the wrong shape): exit code 1, one line. */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CliException(String message) {
    super(message);
  }
}
