package dev.netc.graph;

/**
 * A convolution with a partial connection table (LeNet-5's C3): filter {@code f} reads only the input maps of
 * row {@code f} of the table. Everything else (kernel, stride, padding, bias, the fused activation) is the
 * {@link Conv}'s, whose {@code groups} must be 1: the table replaces it.
 *
 * <p>Weights {@code [connections, kernelH, kernelW]}, the connected kernels only, in the order of {@link
 * ConnectionTable#maps()}; bias {@code [filters]}. LeNet-5's C3: 60 kernels of 5 x 5 plus 16 biases = 1,516
 * parameters, where a full convolution would have 2,416.
 *
 * @param conv the convolution's attributes, as if every filter saw every map
 * @param table one row per filter
 */
public record TableConv(Conv conv, ConnectionTable table) implements Op {

  public TableConv withActivation(Activation a) {
    return new TableConv(conv.withActivation(a), table);
  }

  @Override
  public boolean hasWeights() {
    return true;
  }

  @Override
  public String label() {
    // "conv 16@5x5 table(60) +tanh": the table's size between the conv's attributes and its epilogue
    String c = conv.withActivation(Activation.NONE).label();
    return c + " table(" + table.connections() + ")"
        + (conv.activation().isIdentity() ? "" : " +" + conv.activation().label());
  }
}
