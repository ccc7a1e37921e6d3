package dev.netc.examples.cli;

import java.io.PrintStream;

/** One {@code netc} subcommand. */
interface Command {

  /** Where a command finds its networks and writes its output. */
  record Context(Catalog catalog, PrintStream out, PrintStream err) {}

  /**
   * Runs the command and returns the exit code. Throws {@link UsageException} for a bad command line, and
   * {@link CliException} or {@link dev.netc.runtime.NetcException} for a problem with the user's files.
   */
  int run(Args args, Context context);
}
