package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Leaky ReLU: {@code x} for positive {@code x}, else {@code slope * x}. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface LeakyRelu {
  /** The negative slope; PyTorch's default is 0.01. */
  double slope() default 0.01;

  /** Inside a {@link Block}: attributes computed from block parameters, e.g. {@code "slope = slope"}. */
  String[] bind() default {};
}
