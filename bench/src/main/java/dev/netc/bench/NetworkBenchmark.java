package dev.netc.bench;

import dev.netc.examples.Zoo;
import dev.netc.graph.Shape;
import dev.netc.runtime.Backend;
import dev.netc.runtime.Model;
import dev.netc.runtime.Netc;
import dev.netc.runtime.io.SyntheticWeights;
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
 * A whole forward pass of an example network on the Java backend, per batch. Run with
 * {@code java -jar bench/target/benchmarks.jar NetworkBenchmark -p network=TorchvisionAlexNet -p batch=1}.
 * Weights are synthetic (their values do not change the work done).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NetworkBenchmark {
  @Param({"LeNet5", "TorchvisionAlexNet", "AlexNet"})
  public String network;

  @Param({"1"})
  public int batch;

  /** java or opencl ({@code -p backend=opencl}; needs an OpenCL device). */
  @Param({"java"})
  public String backend;

  private Model model;
  private float[] input;
  private float[] output;

  @Setup(Level.Trial)
  public void load() {
    Class<?> description = Zoo.find(network).orElseThrow(() -> new IllegalArgumentException("no network " + network));
    model = Netc.load(description, new SyntheticWeights(), Backend.parse(backend));
    Shape in = model.inputShape();
    input = SyntheticWeights.input(batch, in.channels(), in.height(), in.width());
    output = new float[batch * model.outputShape().size()];
  }

  @Benchmark
  public float[] forward() {
    model.forward(input, output, batch);
    return output;
  }

  @TearDown(Level.Trial)
  public void close() {
    model.close();
  }
}
