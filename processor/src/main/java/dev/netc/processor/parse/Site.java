package dev.netc.processor.parse;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * Where in the user's source something was said: an element, optionally one of its annotations and one value
 * of that annotation. javac underlines the most precise part that is present.
 *
 * @param context prefix for messages about expanded blocks ("in block Bottleneck as layer1.0: "), else empty
 */
public record Site(Element element, AnnotationMirror mirror, AnnotationValue value, String context) {
  public static Site of(Element element) {
    return new Site(element, null, null, "");
  }

  public Site at(AnnotationMirror m, AnnotationValue v) {
    return new Site(element, m, v, context);
  }
}
