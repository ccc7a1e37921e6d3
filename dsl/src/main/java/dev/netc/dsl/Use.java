package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Inserts a {@link Block} here, optionally several times in a row. Layers inside are named
 * {@code <field>.<member>} (or {@code <field>.<i>.<member>} when {@code repeat > 1} or {@link #numbered()}),
 * which is also how their weights are named: torchvision's {@code layer1.0.conv1.weight} comes from
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

  /**
   * Block parameters set by name from expressions, {@code "stride = stride * 2"}, for the parameters that
   * {@link #args()} does not give (args gives the first ones, in order). The expressions are evaluated where
   * this {@code @Use} is written: inside another block they read that block's parameters, {@code index} and
   * {@code in.channels}, so blocks can be nested and pass their parameters on. Values may be decimals
   * ({@code "eps = 0.001"}).
   */
  String[] bind() default {};

  /** How many copies to chain, each reading the previous one's output. */
  int repeat() default 1;

  /**
   * Name the copies {@code <field>.0}, {@code <field>.1}, ... even when {@code repeat = 1} (torchvision numbers
   * every block of a ResNet stage, {@code layer4.0.conv1}, however many there are). With {@code repeat > 1}
   * they are numbered anyway.
   */
  boolean numbered() default false;
}
