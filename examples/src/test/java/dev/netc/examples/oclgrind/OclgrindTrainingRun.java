package dev.netc.examples.oclgrind;

import dev.netc.graph.Graph;
import dev.netc.runtime.Netc;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.runtime.opencl.OpenCl;
import dev.netc.runtime.opencl.OpenClTrainer;
import dev.netc.runtime.train.Sgd;
import dev.netc.runtime.train.Trainer;

/**
 * Runs the OpenCL training kernels of networks (each network's generated, shape-specialised {@code
 * <Name>.train.cl}) for tools/oclgrind-check.sh, which runs this program under the oclgrind simulator to catch
 * invalid memory accesses, data races and API misuse: per network, two training steps (a step after an SGD update,
 * at a batch that makes every buffer grow once) and a prediction in evaluation mode.
 * Arguments: fully qualified description class names.
 */
public final class OclgrindTrainingRun {
  private OclgrindTrainingRun() {}

  public static void main(String[] args) throws Exception {
    for (String name : args) {
      Class<?> network = Class.forName(name);
      Graph graph = Netc.graph(network);
      try (Trainer trainer = OpenClTrainer.create(network, new SyntheticWeights(), OpenCl.select())) {
        Sgd sgd = Sgd.paper();
        int classes = graph.outputShape().size();
        for (int batch = 1; batch <= 2; batch++) {
          int[] labels = new int[batch];
          for (int n = 0; n < batch; n++) labels[n] = (n * 7 + 3) % classes;
          float[] images = SyntheticWeights.input(batch, graph.inputShape().channels(), graph.inputShape().height(),
              graph.inputShape().width());
          Trainer.Step step = trainer.step(images, labels, batch, batch);
          sgd.step(trainer);
          System.out.println(network.getSimpleName() + " training step on " + trainer.backend() + ", batch " + batch
              + ": loss " + step.loss());
        }
        float[] p = trainer.predict(SyntheticWeights.input(2, graph.inputShape().channels(),
            graph.inputShape().height(), graph.inputShape().width()), 2);
        System.out.println(network.getSimpleName() + " prediction: " + p.length + " outputs");
      }
    }
  }
}
