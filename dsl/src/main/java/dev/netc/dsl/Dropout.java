package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Dropout: active only in training; at inference it does nothing and the processor removes it. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dropout {
  /** Probability of dropping a unit, in [0, 1); AlexNet uses 0.5. */
  double rate() default 0.5;

  /** Inside a {@link Block}: attributes computed from block parameters, e.g. {@code "rate = rate"}. */
  String[] bind() default {};
}
