package dev.netc.runtime;

/**
 * A weight file or tensor that cannot be used: missing, of the wrong shape or dtype, truncated or corrupt.
 * The message always names the source (usually the file) and, where one is at fault, the tensor.
 */
public class WeightsException extends NetcException {
  public WeightsException(String message) {
    super(message);
  }

  public WeightsException(String message, Throwable cause) {
    super(message, cause);
  }
}
