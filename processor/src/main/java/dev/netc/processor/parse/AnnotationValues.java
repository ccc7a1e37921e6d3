package dev.netc.processor.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * Reads annotation members through mirrors (never by reflection, which fails for Class members and for
 * annotations of classes being compiled). Values are plain Java objects: Integer, Double, Boolean, String,
 * a List for arrays, the constant's name for enums, a TypeMirror for classes.
 */
final class AnnotationValues {
  private final Elements elements;

  AnnotationValues(Elements elements) {
    this.elements = elements;
  }

  /** The annotation's simple name, e.g. "Conv". */
  static String simpleName(AnnotationMirror m) {
    return m.getAnnotationType().asElement().getSimpleName().toString();
  }

  /** The annotation's qualified name. */
  static String qualifiedName(AnnotationMirror m) {
    return ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().toString();
  }

  static AnnotationMirror find(Element e, String qualifiedName) {
    for (AnnotationMirror m : e.getAnnotationMirrors()) {
      if (qualifiedName(m).equals(qualifiedName)) return m;
    }
    return null;
  }

  /** Every member, defaults included, unwrapped. */
  Map<String, Object> withDefaults(AnnotationMirror m) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
        elements.getElementValuesWithDefaults(m).entrySet()) {
      out.put(e.getKey().getSimpleName().toString(), unwrap(e.getValue()));
    }
    return out;
  }

  /** The values the user wrote explicitly, as source positions for errors. */
  static Map<String, AnnotationValue> explicit(AnnotationMirror m) {
    Map<String, AnnotationValue> out = new LinkedHashMap<>();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : m.getElementValues().entrySet()) {
      out.put(e.getKey().getSimpleName().toString(), e.getValue());
    }
    return out;
  }

  private static Object unwrap(AnnotationValue v) {
    Object o = v.getValue();
    if (o instanceof List<?> list) {
      List<Object> items = new ArrayList<>();
      for (Object item : list) items.add(unwrap((AnnotationValue) item));
      return items;
    }
    if (o instanceof VariableElement ve) return ve.getSimpleName().toString();
    if (o instanceof TypeMirror) return o;
    return o;
  }

  static int[] ints(Object o) {
    List<?> list = (List<?>) o;
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) out[i] = (Integer) list.get(i);
    return out;
  }

  static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    for (Object item : (List<?>) o) out.add((String) item);
    return out;
  }
}
