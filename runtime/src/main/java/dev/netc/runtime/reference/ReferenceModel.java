package dev.netc.runtime.reference;

import dev.netc.graph.Graph;
import dev.netc.graph.Shape;
import dev.netc.runtime.Model;
import dev.netc.runtime.Weights;
import java.nio.FloatBuffer;

/**
 * The {@link ReferenceInterpreter} behind the {@link Model} interface: slow, double-precision, obviously
 * correct. The command line's {@code --backend reference}, and the oracle in tests.
 */
public final class ReferenceModel implements Model {
  private final ReferenceInterpreter interpreter;
  private volatile boolean closed;

  public ReferenceModel(Graph graph, Weights weights) {
    this.interpreter = new ReferenceInterpreter(graph, weights);
  }

  @Override
  public String name() {
    return interpreter.graph().name();
  }

  @Override
  public String backend() {
    return "reference";
  }

  @Override
  public Shape inputShape() {
    return interpreter.graph().inputShape();
  }

  @Override
  public Shape outputShape() {
    return interpreter.graph().outputShape();
  }

  @Override
  public void forward(float[] input, float[] output, int batch) {
    if (closed) throw new IllegalStateException("model " + name() + " is closed");
    float[] out = interpreter.run(input, batch);
    if (output.length < out.length) {
      throw new IllegalArgumentException(name() + " writes " + out.length + " output floats but the output array"
          + " holds " + output.length);
    }
    System.arraycopy(out, 0, output, 0, out.length);
  }

  @Override
  public void forward(FloatBuffer input, FloatBuffer output, int batch) {
    float[] in = new float[batch * inputShape().size()];
    input.get(input.position(), in);
    float[] out = new float[batch * outputShape().size()];
    forward(in, out, batch);
    output.put(output.position(), out);
  }

  @Override
  public void close() {
    closed = true;
  }
}
