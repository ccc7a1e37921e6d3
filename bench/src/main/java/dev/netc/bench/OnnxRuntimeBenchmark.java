package dev.netc.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.netc.examples.Zoo;
import dev.netc.graph.Shape;
import dev.netc.runtime.Backend;
import dev.netc.runtime.Model;
import dev.netc.runtime.Netc;
import dev.netc.runtime.io.SyntheticWeights;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The peer: ONNX Runtime (Java API, CPU execution provider) running the same network with the same weights as
 * {@link NetworkBenchmark}, exported by {@code /usr/bin/python3 tools/bench/export_onnx.py} into {@code
 * bench/target/onnx} (or {@code -Dnetc.onnx.dir}). Same annotations and parameters as {@link NetworkBenchmark},
 * so one JMH run measures both and the JSON pairs them up ({@code tools/bench/peers.sh}).
 *
 * <p>Before timing, the setup runs the ONNX model and netc's Java backend on the same input and fails unless
 * they agree to float32 accuracy: a ratio between two programs that compute different things would mean
 * nothing. Session options: {@code threads} intra-op threads (default 2, the machine's cores), one inter-op
 * thread, sequential execution, all graph optimisations. A call allocates its result tensor; that is the API's
 * cost and is measured with it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OnnxRuntimeBenchmark {
  /** Max |ort - netc| / max |netc| allowed by the setup's check: float32 accumulation in different orders. */
  static final double AGREEMENT = 1e-4;

  @Param({"LeNet5", "TorchvisionAlexNet"})
  public String network;

  @Param({"1"})
  public int batch;

  @Param({"2"})
  public int threads;

  private OrtEnvironment env;
  private OrtSession session;
  private OnnxTensor input;
  private Map<String, OnnxTensor> feed;

  @Setup(Level.Trial)
  public void load() throws OrtException {
    Path file = Path.of(System.getProperty("netc.onnx.dir", "bench/target/onnx"), network + ".onnx");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(file.toAbsolutePath() + " does not exist; export it first with"
          + " /usr/bin/python3 tools/bench/export_onnx.py (or point -Dnetc.onnx.dir at its folder)");
    }
    Class<?> description = Zoo.find(network).orElseThrow(() -> new IllegalArgumentException("no network " + network));
    env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(threads);
    options.setInterOpNumThreads(1);
    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    long t0 = System.nanoTime();
    session = env.createSession(file.toString(), options);
    System.out.printf("ONNX Runtime %s: session for %s created in %.0f ms%n", OrtEnvironment.getEnvironment()
        .getVersion(), file.getFileName(), (System.nanoTime() - t0) / 1e6);

    Shape in;
    float[] expected;
    float[] x;
    try (Model netc = Netc.load(description, new SyntheticWeights(), Backend.JAVA)) {
      in = netc.inputShape();
      x = SyntheticWeights.input(batch, in.channels(), in.height(), in.width());
      expected = netc.forward(x, batch);
    }
    input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x),
        new long[] {batch, in.channels(), in.height(), in.width()});
    feed = Map.of("input", input);
    checkAgainst(expected);
  }

  private void checkAgainst(float[] expected) throws OrtException {
    try (OrtSession.Result r = session.run(feed)) {
      FloatBuffer actual = ((OnnxTensor) r.get(0)).getFloatBuffer();
      if (actual.remaining() != expected.length) {
        throw new IllegalStateException(network + ": ONNX Runtime returned " + actual.remaining() + " floats, netc "
            + expected.length + "; is the ONNX file from another network?");
      }
      double scale = 0;
      double worst = 0;
      for (int i = 0; i < expected.length; i++) {
        scale = Math.max(scale, Math.abs(expected[i]));
        worst = Math.max(worst, Math.abs(expected[i] - actual.get(i)));
      }
      if (!(worst <= AGREEMENT * scale)) {
        throw new IllegalStateException(String.format("%s: ONNX Runtime and netc disagree (max error %.3g, max |output|"
            + " %.3g); re-export the ONNX file with tools/bench/export_onnx.py", network, worst, scale));
      }
    }
  }

  @Benchmark
  public float forward() throws OrtException {
    try (OrtSession.Result r = session.run(feed)) {
      return ((OnnxTensor) r.get(0)).getFloatBuffer().get(0);
    }
  }

  @TearDown(Level.Trial)
  public void close() throws OrtException {
    input.close();
    session.close();
  }
}
