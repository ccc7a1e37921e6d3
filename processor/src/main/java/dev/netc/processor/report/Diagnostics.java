package dev.netc.processor.report;

import dev.netc.graph.Problem;
import dev.netc.processor.parse.Site;
import dev.netc.processor.parse.SourceMap;
import javax.annotation.processing.Messager;
import javax.tools.Diagnostic;

/**
 * Reports errors through javac, on the most precise site known, and counts them so the pipeline stops
 * before generating code for a network with mistakes. Every error of a network is reported, not only the
 * first.
 */
public final class Diagnostics {
  private final Messager messager;
  private int errors;

  public Diagnostics(Messager messager) {
    this.messager = messager;
  }

  public void error(Site site, Message message, Object... args) {
    print(site, site.context() + message.format(args));
  }

  /** A graph rule broken at {@code problem.node()}, located through the source map. */
  public void error(SourceMap sources, Problem problem) {
    Site site = sources.locate(problem.node(), problem.attribute());
    print(site, site.context() + problem.render());
  }

  /** A mistake that does not stop the build (something optional is not generated); never counted as an error. */
  public void warning(Site site, Message message, Object... args) {
    String text = site.context() + message.format(args);
    if (site.value() != null) {
      messager.printMessage(Diagnostic.Kind.WARNING, text, site.element(), site.mirror(), site.value());
    } else if (site.mirror() != null) {
      messager.printMessage(Diagnostic.Kind.WARNING, text, site.element(), site.mirror());
    } else {
      messager.printMessage(Diagnostic.Kind.WARNING, text, site.element());
    }
  }

  public void note(Site site, String text) {
    messager.printMessage(Diagnostic.Kind.NOTE, text, site.element());
  }

  private void print(Site site, String text) {
    errors++;
    if (site.value() != null) {
      messager.printMessage(Diagnostic.Kind.ERROR, text, site.element(), site.mirror(), site.value());
    } else if (site.mirror() != null) {
      messager.printMessage(Diagnostic.Kind.ERROR, text, site.element(), site.mirror());
    } else {
      messager.printMessage(Diagnostic.Kind.ERROR, text, site.element());
    }
  }

  public int errorCount() {
    return errors;
  }
}
