package dev.netc.runtime.java;

import dev.netc.graph.Shape;
import dev.netc.runtime.FusedGroups;
import dev.netc.runtime.Model;
import dev.netc.runtime.ModelArguments;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Objects;

/**
 * The base of every generated Java-backend model: argument checks, the activation arena, the worker threads
 * and the closed state. The generated subclass supplies {@link #run(int)}, one call per fused group with all
 * shapes as constants.
 *
 * <p>Memory: every intermediate tensor lives in one {@code float[]} arena at an offset the processor's buffer
 * planner chose (tensors whose lifetimes do not overlap share space). Offsets are per image, so a batch of
 * {@code b} images uses offset {@code b * offset}; the arena grows when a larger batch arrives and is reused
 * afterwards, so a steady-state forward pass allocates nothing.
 *
 * <p>For benchmarks, {@link FusedGroups} runs one fused group alone ({@link #computeGroup}).
 */
public abstract class JavaModel implements Model, FusedGroups {
  private final String name;
  private final Shape inputShape;
  private final Shape outputShape;
  private final int arenaPerImage;
  /** {@link #microBatchSetting()}, read on the first forward pass (0 before). */
  private int microBatch;
  private final int inputOffset;
  private final int outputOffset;
  /** The worker threads of this model. */
  protected final Parallel parallel;
  /** All activations of the current batch; see the class comment. */
  protected float[] arena = new float[0];
  /** Images in the current call. */
  protected int batch;
  private boolean closed;

  /**
   * @param arenaPerImage floats of arena one image needs
   * @param inputOffset per-image arena offset where the input is placed
   * @param outputOffset per-image arena offset of the output tensor
   */
  protected JavaModel(String name, Shape inputShape, Shape outputShape, int arenaPerImage, int inputOffset,
      int outputOffset, int threads) {
    this.name = name;
    this.inputShape = inputShape;
    this.outputShape = outputShape;
    this.arenaPerImage = arenaPerImage;
    this.inputOffset = inputOffset;
    this.outputOffset = outputOffset;
    this.parallel = new Parallel(threads);
  }

  /** Computes every fused group for {@link #batch} images already placed in {@link #arena}. */
  protected abstract void run(int batch);

  /** The fused groups' names in the order {@link #computeGroup} numbers them. */
  protected abstract List<String> fusedGroupNames();

  /**
   * Computes fused group {@code group} (checked: {@code 0 <= group < groups()}) for {@link #batch} images on
   * the arena as it is; the same method {@link #run} calls for that group.
   */
  protected abstract void computeGroup(int group, int batch);

  @Override
  public final int groups() {
    return fusedGroupNames().size();
  }

  @Override
  public final String groupName(int k) {
    return fusedGroupNames().get(Objects.checkIndex(k, groups()));
  }

  /** See {@link FusedGroups#runGroup}: a benchmarking hook, its results are not meaningful. */
  @Override
  public final synchronized void runGroup(int k, int batch) {
    if (closed) throw new IllegalStateException("model " + name + " is closed");
    Objects.checkIndex(k, groups());
    if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    prepare(batch);
    computeGroup(k, batch);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public String backend() {
    return "java (" + parallel.threads() + " threads" + (usesVectorApi() ? ", Vector API" : "") + ")";
  }

  /**
   * Whether this model's convolutions and dense layers run on the Vector API ({@link VectorConv}, {@link LaneConv},
   * {@link VectorDense}); decided when the model was created ({@link VectorSupport#enabled()}). Generated models
   * with such layers override it.
   */
  public boolean usesVectorApi() {
    return false;
  }

  @Override
  public final Shape inputShape() {
    return inputShape;
  }

  @Override
  public final Shape outputShape() {
    return outputShape;
  }

  @Override
  public final synchronized void forward(float[] input, float[] output, int batch) {
    ModelArguments.check(name, closed, inputShape, outputShape, batch, input, output);
    slices(input, null, output, null, batch);
  }

  @Override
  public final synchronized void forward(FloatBuffer input, FloatBuffer output, int batch) {
    ModelArguments.check(name, closed, inputShape, outputShape, batch, input, output);
    slices(null, input, null, output, batch);
  }

  /**
   * Runs the checked batch in slices of at most {@link #microBatch()} images, from and to the arrays or (when the
   * arrays are null) the buffers' positions. Two parameters per side instead of wrapping arrays in buffers: a forward
   * pass allocates nothing once warm (SteadyStateTest).
   */
  private void slices(float[] inputArray, FloatBuffer input, float[] outputArray, FloatBuffer output, int batch) {
    if (microBatch == 0) microBatch = microBatchSetting();
    int inSize = inputShape.size();
    int outSize = outputShape.size();
    int step = Math.min(batch, microBatch);
    for (int first = 0; first < batch; first += step) {
      int b = Math.min(step, batch - first);
      prepare(b);
      if (inputArray != null) {
        System.arraycopy(inputArray, first * inSize, arena, inputOffset * b, b * inSize);
      } else {
        input.get(input.position() + first * inSize, arena, inputOffset * b, b * inSize);
      }
      run(b);
      if (outputArray != null) {
        System.arraycopy(arena, outputOffset * b, outputArray, first * outSize, b * outSize);
      } else {
        output.put(output.position() + first * outSize, arena, outputOffset * b, b * outSize);
      }
    }
  }

  /**
   * The most images {@link #forward} runs through the network at once; a larger batch runs in slices of this
   * size, one after the other. Unlimited unless a subclass or {@code -Dnetc.microBatch=N} says otherwise. Slices
   * bound the arena's size; they were meant to keep a small network's activations in cache from layer to layer,
   * but on LeNet-5 at batch 256 they measured no faster than whole batches (docs/PERFORMANCE.md), so generated
   * models keep whole batches.
   */
  protected int microBatch() {
    return Integer.MAX_VALUE;
  }

  /** {@link #microBatch()}, or {@code -Dnetc.microBatch=N} (for measuring other sizes). */
  private int microBatchSetting() {
    int own = microBatch();
    Integer forced = Integer.getInteger("netc.microBatch");
    return forced != null && forced > 0 ? forced : own;
  }

  private void prepare(int b) {
    long needed = (long) arenaPerImage * b;
    if (needed > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("batch " + b + " needs " + needed + " floats of activations, more than"
          + " one Java array holds; use a smaller batch");
    }
    if (arena.length < needed) arena = new float[(int) needed];
    this.batch = b;
  }

  @Override
  public final synchronized void close() {
    if (closed) return;
    closed = true;
    parallel.close();
    arena = new float[0];
  }

  /** Whether {@link #close()} was called. */
  public final synchronized boolean isClosed() {
    return closed;
  }
}
