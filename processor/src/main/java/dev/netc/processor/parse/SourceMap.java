package dev.netc.processor.parse;

import java.util.HashMap;
import java.util.Map;

/**
 * The side table from IR nodes back to source: for each node, the site of its annotation and of each of its
 * attributes. The IR itself never holds javax.lang.model objects; problems found on the IR ({@code node},
 * {@code attribute}) are located through this table.
 */
public final class SourceMap {
  private final Map<String, Site> nodes = new HashMap<>();
  private final Map<String, Map<String, Site>> attributes = new HashMap<>();
  private final Site fallback;

  public SourceMap(Site fallback) {
    this.fallback = fallback;
  }

  void putNode(String node, Site site) {
    nodes.putIfAbsent(node, site);
  }

  void putAttribute(String node, String attribute, Site site) {
    attributes.computeIfAbsent(node, k -> new HashMap<>()).putIfAbsent(attribute, site);
  }

  /** The most precise site for a node's attribute: the attribute's value, else the node's annotation. */
  public Site locate(String node, String attribute) {
    Map<String, Site> attrs = attributes.get(node);
    if (attrs != null && attribute != null && attrs.containsKey(attribute)) return attrs.get(attribute);
    Site s = nodes.get(node);
    return s != null ? s : fallback;
  }
}
