package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Exponential linear unit: {@code x} for positive {@code x}, else {@code alpha * (exp(x) - 1)}. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Elu {
  double alpha() default 1.0;

  /** Inside a {@link Block}: attributes computed from block parameters, e.g. {@code "alpha = alpha"}. */
  String[] bind() default {};
}
