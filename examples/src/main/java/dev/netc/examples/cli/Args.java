package dev.netc.examples.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed command line: the command, its positional arguments and its {@code --name value} options.
 *
 * <p>Parsing is in two steps so it needs no knowledge of the commands: {@link #parse} splits the words
 * ({@code --name value} and {@code --name=value} both work; {@code --} ends the options), then each command calls
 * {@link #expect} with the positionals and options it takes, which rejects anything else with a
 * {@link UsageException}. Typed getters check values and name the option in their messages.
 */
public final class Args {
  private final String command;
  private final List<String> positionals;
  private final Map<String, String> options;
  private final boolean help;

  private Args(String command, List<String> positionals, Map<String, String> options, boolean help) {
    this.command = command;
    this.positionals = List.copyOf(positionals);
    this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    this.help = help;
  }

  /**
   * Splits {@code argv}: the first word is the command, every {@code --name} takes the next word as its value
   * (or the text after {@code =}); {@code -h} and {@code --help} anywhere ask for help.
   *
   * @throws UsageException for an option without a value, or one given twice
   */
  /** Options that take no value: present means on. */
  static final java.util.Set<String> FLAGS = java.util.Set.of("profile", "flip-average");

  public static Args parse(String... argv) {
    String command = null;
    List<String> positionals = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    boolean help = false;
    boolean optionsEnded = false;
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (!optionsEnded && (a.equals("-h") || a.equals("--help"))) {
        help = true;
      } else if (!optionsEnded && a.equals("--")) {
        optionsEnded = true;
      } else if (!optionsEnded && a.startsWith("--") && a.length() > 2) {
        String name;
        String value;
        int eq = a.indexOf('=');
        if (eq > 0) {
          name = a.substring(2, eq);
          value = a.substring(eq + 1);
        } else if (FLAGS.contains(a.substring(2))) {
          name = a.substring(2);
          value = "true";
        } else {
          name = a.substring(2);
          if (i + 1 >= argv.length || (argv[i + 1].startsWith("--") && argv[i + 1].length() > 2)) {
            throw new UsageException("option --" + name + " needs a value");
          }
          value = argv[++i];
        }
        if (name.isEmpty()) throw new UsageException("option '" + a + "' has no name");
        if (options.put(name, value) != null) throw new UsageException("option --" + name + " is given twice");
      } else if (!optionsEnded && a.startsWith("-") && a.length() > 1 && !isNumber(a)) {
        throw new UsageException("unknown option '" + a + "' (options are written --name value)");
      } else if (command == null) {
        command = a;
      } else {
        positionals.add(a);
      }
    }
    return new Args(command, positionals, options, help);
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The first word, lower-cased; {@code null} when the command line is empty. */
  public String command() {
    return command == null ? null : command.toLowerCase(Locale.ROOT);
  }

  public List<String> positionals() {
    return positionals;
  }

  /** Whether {@code -h} or {@code --help} was given. */
  public boolean help() {
    return help;
  }

  /**
   * Checks that the command got exactly the positional arguments named in {@code positionalNames} and no option
   * outside {@code allowedOptions}.
   */
  public Args expect(List<String> positionalNames, String... allowedOptions) {
    String cmd = "'netc " + command() + "'";
    if (positionals.size() < positionalNames.size()) {
      throw new UsageException(cmd + " needs " + String.join(" ", positionalNames) + " ("
          + (positionalNames.size() - positionals.size()) + " missing)");
    }
    if (positionals.size() > positionalNames.size()) {
      List<String> extra = positionals.subList(positionalNames.size(), positionals.size());
      throw new UsageException(cmd + " takes " + (positionalNames.isEmpty() ? "no arguments"
          : "only " + String.join(" ", positionalNames)) + ", but got also: " + String.join(" ", extra));
    }
    Set<String> allowed = new TreeSet<>(Arrays.asList(allowedOptions));
    for (String name : options.keySet()) {
      if (!allowed.contains(name)) {
        throw new UsageException(cmd + " has no option --" + name + (allowed.isEmpty() ? ""
            : "; its options are --" + String.join(", --", allowed)));
      }
    }
    return this;
  }

  /** The i-th positional argument (after the command). */
  public String positional(int i) {
    return positionals.get(i);
  }

  public boolean has(String option) {
    return options.containsKey(option);
  }

  /** The option's value, or {@code fallback} when it is absent. */
  /** Whether a flag ({@link #FLAGS}) was given. */
  public boolean flag(String option) {
    return Boolean.parseBoolean(options.getOrDefault(option, "false"));
  }

  public String string(String option, String fallback) {
    return options.getOrDefault(option, fallback);
  }

  /** The option's value; a {@link UsageException} when absent. */
  public String required(String option) {
    String v = options.get(option);
    if (v == null) throw new UsageException("'netc " + command() + "' needs --" + option);
    if (v.isEmpty()) throw new UsageException("option --" + option + " needs a value");
    return v;
  }

  /** An integer option of at least {@code min}, or {@code fallback} when absent. */
  public int integer(String option, int fallback, int min) {
    String v = options.get(option);
    if (v == null) return fallback;
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("option --" + option + " needs a whole number, not '" + v + "'");
    }
    if (n < min) throw new UsageException("option --" + option + " must be at least " + min + ", not " + n);
    return n;
  }

  /** A number of seconds (decimals allowed) of at least {@code min}, or {@code fallback} when absent. */
  public double seconds(String option, double fallback, double min) {
    return number(option, fallback, min, "a number of seconds", " seconds");
  }

  /** A decimal number of at least {@code min} (e.g. a learning rate), or {@code fallback} when absent. */
  public double decimal(String option, double fallback, double min) {
    return number(option, fallback, min, "a number", "");
  }

  private double number(String option, double fallback, double min, String what, String unit) {
    String v = options.get(option);
    if (v == null) return fallback;
    double d;
    try {
      d = Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("option --" + option + " needs " + what + ", not '" + v + "'");
    }
    if (!(d >= min) || Double.isInfinite(d)) {
      throw new UsageException("option --" + option + " must be at least " + (min == Double.MIN_VALUE ? "above 0"
          : "at least " + min + unit) + ", not " + v);
    }
    return d;
  }
}
