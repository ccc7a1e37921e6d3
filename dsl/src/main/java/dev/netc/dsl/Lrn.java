package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Local response normalisation across channels (AlexNet's "brightness normalization"):
 * {@code b[i] = a[i] / (k + alpha' * sum_{j=i-size/2}^{i+size/2} a[j]^2)^beta}, where {@code alpha'} is
 * {@code alpha} itself under {@link Convention#PAPER} and {@code alpha / size} under
 * {@link Convention#PER_SIZE}.
 *
 * <p>The defaults are the paper's: {@code size = 5, alpha = 1e-4, beta = 0.75, k = 2} with the
 * <b>paper's convention ({@link Convention#PAPER}) by default</b>. PyTorch's {@code nn.LocalResponseNorm}, Caffe
 * and ONNX divide alpha by size: to port such a model, write {@code convention = Convention.PER_SIZE} and
 * copy their alpha (and note PyTorch's default k is 1).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Lrn {
  /** How {@link #alpha()} scales the sum of squares. */
  enum Convention {
    /** Krizhevsky et al. 2012: alpha multiplies the sum directly. */
    PAPER,
    /** Caffe, PyTorch, ONNX: alpha is divided by size first. */
    PER_SIZE
  }

  /** Channels in the window, odd so it is centred. */
  int size() default 5;

  double alpha() default 1e-4;

  double beta() default 0.75;

  double k() default 2.0;

  /** Default {@link Convention#PAPER}. */
  Convention convention() default Convention.PAPER;

  /** Inside a {@link Block}: attributes computed from block parameters, e.g. {@code "size = n"}. */
  String[] bind() default {};
}
