package dev.netc.examples.cli;

import dev.netc.runtime.NetcException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The {@code netc} command-line tool: {@code list}, {@code summary}, {@code run}, {@code bench}, {@code train},
 * {@code eval}, {@code figure1}, {@code demo}, {@code help}.
 *
 * <p>Exit codes: 0 on success, 1 for an error the user can fix (a missing or malformed file, weights that do
 * not fit), printed as one line on stderr, 2 for a command line that cannot be understood, printed with a short
 * usage. Stack traces only with {@code NETC_DEBUG=1}.
 */
public final class Main {
  private static final Map<String, Command> COMMANDS = Map.of(
      "list", new ListCommand(),
      "summary", new SummaryCommand(),
      "run", new RunCommand(),
      "bench", new BenchCommand(),
      "train", new TrainCommand(),
      "eval", new EvalCommand(),
      "figure1", new Figure1Command(),
      "demo", new DemoCommand());

  private Main() {}

  public static void main(String[] argv) {
    boolean debug = "1".equals(System.getenv("NETC_DEBUG"));
    int code = run(argv, new ZooCatalog(), System.out, System.err, debug);
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command line against {@code catalog}; returns the exit code. Never throws. */
  public static int run(String[] argv, Catalog catalog, PrintStream out, PrintStream err, boolean debug) {
    try {
      Args args = Args.parse(argv);
      String command = args.command();
      if (command == null) {
        if (args.help()) return help(out);
        err.println("netc: no command given");
        err.println(Usage.SHORT);
        return 2;
      }
      if (command.equals("help") || args.help()) return help(out);
      Command c = COMMANDS.get(command);
      if (c == null) throw new UsageException("unknown command '" + args.command() + "'");
      return c.run(args, new Command.Context(catalog, out, err));
    } catch (UsageException e) {
      err.println("netc: " + e.getMessage());
      err.println(Usage.SHORT);
      return 2;
    } catch (CliException | NetcException e) {
      return fail(err, e.getMessage(), e, debug);
    } catch (UncheckedIOException e) {
      return fail(err, e.getCause().getMessage(), e, debug);
    } catch (OutOfMemoryError e) {
      return fail(err, "out of memory; try a smaller --batch, or more heap with JAVA_OPTS=-Xmx8g", e, debug);
    } catch (RuntimeException | Error e) {
      return fail(err, "internal error: " + e + (debug ? "" : " (set NETC_DEBUG=1 for the stack trace)"), e, debug);
    }
  }

  private static int help(PrintStream out) {
    out.print(Usage.FULL);
    return 0;
  }

  private static int fail(PrintStream err, String message, Throwable e, boolean debug) {
    err.println("netc: error: " + oneLine(message));
    if (debug) e.printStackTrace(err);
    return 1;
  }

  private static String oneLine(String message) {
    return message == null ? "(no message)" : message.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
