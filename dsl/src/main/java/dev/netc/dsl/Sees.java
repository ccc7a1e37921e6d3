package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One row of a convolution's connection table ({@link Conv#table()}): the input maps (channels, counted from
 * 0) that one filter sees. Written only inside {@code table = {...}}, one per filter, in filter order:
 *
 * <pre>{@code
 * @Conv(filters = 16, kernel = 5, table = {@Sees({0, 1, 2}), @Sees({1, 2, 3}), ...})
 * }</pre>
 *
 * <p>A row is a set: each map at most once, at least one map; the order it is written in does not matter
 * (the weights are stored by ascending map, see {@link Conv#table()}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Sees {
  /** The input maps this filter reads. */
  int[] value();
}
