package dev.netc.runtime.train;

import dev.netc.graph.WeightSpec;
import dev.netc.runtime.WeightsException;
import dev.netc.runtime.io.MapWeights;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.io.SafeTensorsWriter;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint: the network's tensors, the optimiser's velocity (under {@link #VELOCITY_PREFIX} + the
 * parameter's name), and in the safetensors metadata what a resumed run needs: the network's name, the epoch
 * just finished, the learning rate, the schedule and its state, the history as JSON, the seed ({@link
 * #metadata} builds them).
 *
 * <p>Written through {@link SafeTensorsWriter}, so atomically: a crash mid-write leaves the previous
 * checkpoint intact, never half a file. The plain weights for {@code netc run} and PyTorch ({@code
 * safetensors.torch.load_file}) go to a separate file through {@link #weightsOnly}, which leaves the
 * optimiser's tensors out.
 *
 * <p>Every problem reading one is a {@link WeightsException} naming the file and what is wrong: missing,
 * truncated or corrupt (as {@link SafeTensors#open} reports it), not a checkpoint, of another network, a
 * metadata value that does not parse.
 */
public final class Checkpoint {
  /** Prefix of the optimiser's velocity tensors: {@code optimizer.velocity.conv1.weight}. */
  public static final String VELOCITY_PREFIX = "optimizer.velocity.";
  /** Every tensor whose name starts so belongs to the optimiser, not the network. */
  public static final String OPTIMIZER_PREFIX = "optimizer.";

  /** Marks a file as a checkpoint; its value is the layout's version. */
  public static final String FORMAT = "netc.checkpoint";
  public static final String NETWORK = "netc.network";
  public static final String EPOCH = "netc.epoch";
  public static final String LEARNING_RATE = "netc.learning_rate";
  public static final String SCHEDULE = "netc.schedule";
  public static final String SCHEDULE_STATE = "netc.schedule_state";
  public static final String HISTORY = "netc.history";
  public static final String SEED = "netc.seed";

  private final String source;
  private final Map<String, float[]> tensors;
  private final Map<String, int[]> dims;
  private final Map<String, String> metadata;

  private Checkpoint(String source, Map<String, float[]> tensors, Map<String, int[]> dims,
      Map<String, String> metadata) {
    this.source = source;
    this.tensors = Collections.unmodifiableMap(tensors);
    this.dims = Collections.unmodifiableMap(dims);
    this.metadata = Collections.unmodifiableMap(metadata);
  }

  /** The name of a parameter's velocity tensor. */
  public static String velocityName(String parameter) {
    return VELOCITY_PREFIX + parameter;
  }

  /**
   * The metadata of a checkpoint after {@code epoch}.
   *
   * @param schedule the schedule's command-line form (e.g. "plateau"), to rebuild it on resume
   * @param scheduleState its {@link LearningRateSchedule#state()}
   */
  public static Map<String, String> metadata(String network, int epoch, double learningRate, String schedule,
      String scheduleState, TrainingHistory history, long seed) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(NETWORK, network);
    m.put(EPOCH, Integer.toString(epoch));
    m.put(LEARNING_RATE, Double.toString(learningRate));
    m.put(SCHEDULE, schedule);
    m.put(SCHEDULE_STATE, scheduleState);
    m.put(HISTORY, history.toJson());
    m.put(SEED, Long.toString(seed));
    return m;
  }

  /**
   * Writes a checkpoint atomically: every tensor in {@code tensors} (in its iteration order) with its dims from
   * {@code dims}, and the metadata, which must name the network ({@link #NETWORK}).
   *
   * @throws IllegalArgumentException if a tensor has no dims or dims of another size, or the network is not named
   * @throws WeightsException naming the file if it cannot be written (the previous file, if any, is untouched)
   */
  public static void write(Path file, Map<String, float[]> tensors, Map<String, int[]> dims,
      Map<String, String> metadata) {
    String network = metadata.get(NETWORK);
    if (network == null || network.isEmpty()) {
      throw new IllegalArgumentException("checkpoint metadata must name the network (" + NETWORK + ")");
    }
    SafeTensorsWriter w = writer(tensors, dims, false);
    w.metadata(FORMAT, "1");
    metadata.forEach(w::metadata);
    w.write(file);
  }

  /**
   * Writes only the network's tensors (none under {@link #OPTIMIZER_PREFIX}), with the network's name as the
   * only metadata: the file {@code netc run} and PyTorch load.
   */
  public static void weightsOnly(Path file, Map<String, float[]> tensors, Map<String, int[]> dims, String network) {
    writer(tensors, dims, true).metadata(NETWORK, network).write(file);
  }

  private static SafeTensorsWriter writer(Map<String, float[]> tensors, Map<String, int[]> dims, boolean weightsOnly) {
    SafeTensorsWriter w = new SafeTensorsWriter();
    for (Map.Entry<String, float[]> t : tensors.entrySet()) {
      if (weightsOnly && t.getKey().startsWith(OPTIMIZER_PREFIX)) continue;
      int[] d = dims.get(t.getKey());
      if (d == null) throw new IllegalArgumentException("tensor " + t.getKey() + " has no dims");
      w.put(t.getKey(), d, t.getValue());
    }
    for (String name : dims.keySet()) {
      if (!tensors.containsKey(name)) throw new IllegalArgumentException("dims given for " + name + " but no tensor");
    }
    return w;
  }

  /**
   * Reads a checkpoint of any network.
   *
   * @throws WeightsException naming the file if it is missing, corrupt or not a checkpoint
   */
  public static Checkpoint read(Path file) {
    return read(file, null);
  }

  /**
   * Reads a checkpoint and checks it is of {@code network}.
   *
   * @throws WeightsException naming the file if it is missing, corrupt, not a checkpoint, or of another network
   */
  public static Checkpoint read(Path file, String network) {
    try (SafeTensors st = SafeTensors.open(file)) {
      String source = st.source();
      Map<String, String> meta = st.metadata();
      if (!meta.containsKey(FORMAT)) {
        throw new WeightsException(source + " is not a netc training checkpoint (its metadata has no " + FORMAT
            + "); a plain weights file cannot resume training");
      }
      if (!"1".equals(meta.get(FORMAT))) {
        throw new WeightsException(source + " is a checkpoint of layout " + meta.get(FORMAT)
            + ", this netc reads layout 1");
      }
      String actual = meta.get(NETWORK);
      if (network != null && !network.equals(actual)) {
        throw new WeightsException("checkpoint " + source + " is of network " + actual + ", not " + network);
      }
      Map<String, float[]> tensors = new LinkedHashMap<>();
      Map<String, int[]> dims = new LinkedHashMap<>();
      for (String name : st.names()) {
        long[] shape = st.shape(name);
        int[] d = new int[shape.length];
        for (int i = 0; i < d.length; i++) d[i] = Math.toIntExact(shape[i]);
        tensors.put(name, st.get(new WeightSpec(name, d)));
        dims.put(name, d);
      }
      return new Checkpoint(source, tensors, dims, new LinkedHashMap<>(meta));
    }
  }

  /** The file read, absolute. */
  public String source() {
    return source;
  }

  /** Every tensor, the optimiser's included, in file order. */
  public Map<String, float[]> tensors() {
    return tensors;
  }

  public Map<String, int[]> dims() {
    return dims;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /** The network's tensors only, as weights a model loads (the arrays are shared, not copied). */
  public MapWeights weights() {
    MapWeights w = new MapWeights("checkpoint " + source);
    tensors.forEach((name, data) -> {
      if (!name.startsWith(OPTIMIZER_PREFIX)) w.put(name, dims.get(name), data);
    });
    return w;
  }

  /** A parameter's velocity, or null when the checkpoint has none (the optimiser had not stepped it). */
  public float[] velocity(String parameter) {
    return tensors.get(velocityName(parameter));
  }

  public String network() {
    return required(NETWORK);
  }

  public int epoch() {
    try {
      return Integer.parseInt(required(EPOCH));
    } catch (NumberFormatException e) {
      throw malformed(EPOCH, "an epoch number");
    }
  }

  public double learningRate() {
    try {
      return Double.parseDouble(required(LEARNING_RATE));
    } catch (NumberFormatException e) {
      throw malformed(LEARNING_RATE, "a number");
    }
  }

  /** The schedule's command-line form, for {@link LearningRateSchedule#parse}. */
  public String schedule() {
    return required(SCHEDULE);
  }

  public String scheduleState() {
    return required(SCHEDULE_STATE);
  }

  public long seed() {
    try {
      return Long.parseLong(required(SEED));
    } catch (NumberFormatException e) {
      throw malformed(SEED, "an integer");
    }
  }

  public TrainingHistory history() {
    try {
      return TrainingHistory.fromJson(required(HISTORY));
    } catch (IllegalArgumentException e) {
      throw new WeightsException("checkpoint " + source + ": " + e.getMessage(), e);
    }
  }

  private String required(String key) {
    String v = metadata.get(key);
    if (v == null) throw new WeightsException("checkpoint " + source + " has no " + key + " in its metadata");
    return v;
  }

  private WeightsException malformed(String key, String expected) {
    return new WeightsException("checkpoint " + source + ": " + key + " is \"" + metadata.get(key) + "\", expected "
        + expected);
  }
}
