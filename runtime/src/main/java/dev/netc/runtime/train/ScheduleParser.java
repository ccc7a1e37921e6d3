package dev.netc.runtime.train;

/** Reads the command-line forms of {@link LearningRateSchedule#parse}. */
final class ScheduleParser {
  private ScheduleParser() {}

  static LearningRateSchedule parse(String spec) {
    if (spec == null) throw bad(null, "no schedule given");
    String[] p = spec.trim().split(":", -1);
    if (!p[0].equals("constant") && !p[0].equals("step") && !p[0].equals("plateau")) {
      throw bad(spec, "unknown schedule \"" + p[0] + "\"");
    }
    LearningRateSchedule s;
    try {
      s = build(p);
    } catch (NumberFormatException e) {
      throw bad(spec, "a number is malformed (" + e.getMessage() + ")");
    } catch (IllegalArgumentException e) { // a value out of range, as the constructor words it
      throw bad(spec, e.getMessage());
    }
    if (s == null) throw bad(spec, "wrong number of ':'-separated parts for \"" + p[0] + "\"");
    return s;
  }

  /** The schedule, or null when the kind is known but the number of parts is wrong. */
  private static LearningRateSchedule build(String[] p) {
    return switch (p[0]) {
      case "constant" -> p.length == 1 ? new ConstantSchedule() : null;
      case "step" -> p.length == 3 ? new StepSchedule(Integer.parseInt(p[1]), Double.parseDouble(p[2])) : null;
      default -> switch (p.length) { // plateau
        case 1 -> PlateauSchedule.paper();
        case 2 -> new PlateauSchedule(Integer.parseInt(p[1]), 0.1, 3, PlateauSchedule.DEFAULT_MIN_DELTA);
        case 4 -> new PlateauSchedule(Integer.parseInt(p[1]), Double.parseDouble(p[2]), Integer.parseInt(p[3]),
            PlateauSchedule.DEFAULT_MIN_DELTA);
        default -> null;
      };
    };
  }

  private static IllegalArgumentException bad(String spec, String why) {
    return new IllegalArgumentException("bad learning-rate schedule " + (spec == null ? "(null)" : "\"" + spec + "\"")
        + ": " + why + "; accepted forms: " + LearningRateSchedule.FORMS);
  }
}
