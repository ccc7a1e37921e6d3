package dev.netc.runtime.train;

import java.util.HashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum and weight decay, exactly as the AlexNet paper writes it (section
 * 5): {@code v <- momentum * v - decay * lr * w - lr * dL/dw}, then {@code w <- w + v}. The paper used momentum
 * 0.9, weight decay 0.0005 and a learning rate starting at 0.01.
 *
 * <p>With a constant learning rate this is PyTorch's {@code SGD(momentum, weight_decay)} with the velocity scaled
 * by {@code -lr}; when the rate changes they differ: here the velocity keeps the steps already taken at the old
 * rate, there it is rescaled. Weight decay applies to every learned tensor, biases included, as in the paper.
 */
public final class Sgd {
  private final double momentum;
  private final double weightDecay;
  private double learningRate;
  private final Map<String, double[]> velocity = new HashMap<>();

  public Sgd(double learningRate, double momentum, double weightDecay) {
    if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
    if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must not be negative, got " + weightDecay);
    this.learningRate = learningRate;
    this.momentum = momentum;
    this.weightDecay = weightDecay;
  }

  /** The paper's settings: momentum 0.9, weight decay 0.0005, learning rate 0.01. */
  public static Sgd paper() {
    return new Sgd(0.01, 0.9, 0.0005);
  }

  public double learningRate() {
    return learningRate;
  }

  /** Changes the rate for the following steps (a schedule's job). */
  public void setLearningRate(double rate) {
    if (!(rate > 0)) throw new IllegalArgumentException("learning rate must be positive, got " + rate);
    this.learningRate = rate;
  }

  /** The velocity of every tensor stepped so far, by name (for checkpoints). */
  public Map<String, double[]> velocity() {
    return velocity;
  }

  /**
   * Updates the trainer's parameters in place from the gradients of its last step. Velocities are kept in
   * double (weights stay float32), so long runs do not lose the small steps of a decayed learning rate.
   */
  public void step(Trainer trainer) {
    Map<String, float[]> gradients = trainer.gradients();
    for (Map.Entry<String, float[]> e : trainer.parameters().entrySet()) {
      float[] w = e.getValue();
      float[] g = gradients.get(e.getKey());
      double[] v = velocity.computeIfAbsent(e.getKey(), k -> new double[w.length]);
      for (int i = 0; i < w.length; i++) {
        v[i] = momentum * v[i] - weightDecay * learningRate * w[i] - learningRate * g[i];
        w[i] = (float) (w[i] + v[i]);
      }
    }
  }

  /** Updates every tensor of {@code parameters} in place with its gradient in {@code gradients}. */
  public void step(Map<String, double[]> parameters, Map<String, double[]> gradients) {
    for (Map.Entry<String, double[]> e : parameters.entrySet()) {
      double[] w = e.getValue();
      double[] g = gradients.get(e.getKey());
      if (g == null) throw new IllegalArgumentException("no gradient for " + e.getKey());
      if (g.length != w.length) {
        throw new IllegalArgumentException("gradient of " + e.getKey() + " has " + g.length + " values, the tensor "
            + w.length);
      }
      double[] v = velocity.computeIfAbsent(e.getKey(), k -> new double[w.length]);
      for (int i = 0; i < w.length; i++) {
        v[i] = momentum * v[i] - weightDecay * learningRate * w[i] - learningRate * g[i];
        w[i] += v[i];
      }
    }
  }
}
