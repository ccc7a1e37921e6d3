package com.example.tinynet;

import dev.netc.runtime.io.SyntheticWeights;
import java.util.Arrays;

/** Loads the generated TinyNet_Model with synthetic weights, runs one image and checks the softmax output. */
public final class Main {
  private static final int CLASSES = 10;

  private Main() {}

  public static void main(String[] args) throws Exception {
    float[] input = new float[1 * 12 * 12];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) Math.sin(0.37 * i); // deterministic, both signs
    }

    float[] output;
    try (SyntheticWeights weights = new SyntheticWeights()) {
      TinyNet_Model model = TinyNet_Model.load(weights);
      output = model.forward(input, 1);
    }

    System.out.println("TinyNet output: " + Arrays.toString(output));
    if (output == null || output.length != CLASSES) {
      throw new IllegalStateException("expected " + CLASSES + " outputs, got "
          + (output == null ? "null" : output.length));
    }
    double sum = 0;
    for (float p : output) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalStateException("a softmax output is not a probability: " + p);
      }
      sum += p;
    }
    System.out.println("sum = " + sum);
    if (Math.abs(sum - 1) > 1e-4) {
      throw new IllegalStateException("softmax outputs sum to " + sum + ", not 1 within 1e-4");
    }
    System.out.println("user project OK");
  }
}
