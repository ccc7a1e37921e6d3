package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Inserts a {@link Block} here, optionally several times in a row. Layers inside are named
 * {@code <field>.<member>} (or {@code <field>.<i>.<member>} when {@code repeat > 1}), which is also how their
 * weights are named: torchvision's {@code layer1.0.conv1.weight} comes from
 * {@code @Use(value = Bottleneck.class, args = {64, 1}, repeat = 3) Layer layer1;}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Use {
  /** The block class, annotated with {@link Block}. */
  Class<?> value();

  /** Values for the block's parameters, in the order of {@link Block#params()}. */
  int[] args() default {};

  /** How many copies to chain, each reading the previous one's output. */
  int repeat() default 1;
}
