package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as the description of a network. Its annotated fields are the layers, in order; the class
 * also carries {@link Input}. The processor generates {@code <ClassName>_Model} next to it.
 *
 * <pre>{@code
 * @Network
 * @Input(channels = 1, height = 28, width = 28)
 * public final class LeNet5 {
 *   @Conv(filters = 6, kernel = 5, padding = 2) @Relu @MaxPool(window = 2) Layer conv1;
 *   ...
 *   @Dense(units = 10) @Softmax Layer fc3;
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Network {
  /** The layer whose result the network returns; by default the last one declared. */
  String output() default "";

  /**
   * Also generate {@code <ClassName>_Benchmark}, a JMH benchmark of this network: one benchmark per fused group
   * (layer as netc runs it) and one of the whole forward pass, on either backend, batch size a parameter. Needs
   * JMH ({@code jmh-core}, and {@code jmh-generator-annprocess} as an annotation processor) at compile time;
   * without it javac warns and nothing more is generated. See docs/DSL.md.
   */
  boolean benchmark() default false;
}
