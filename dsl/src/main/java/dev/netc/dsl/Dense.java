package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fully connected layer. The input is flattened in NCHW order first ({@code torch.flatten(x, 1)}), so a
 * dense layer can follow a convolution or pool directly. Weights {@code [units, inputFeatures]}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dense {
  int units() default 0;

  boolean bias() default true;

  /** Weight name prefix; by default the field's name. */
  String name() default "";

  /** Inside a {@link Block}: attributes computed from block parameters, e.g. {@code "units = classes"}. */
  String[] bind() default {};
}
