package dev.zkdigest.it.junit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;

/**
 * What Curator itself says it did: its tracer reports every operation it sends (by builder, e.g.
 * {@code GetChildrenBuilderImpl-Background}) with the path. The independent count the digest is
 * compared with.
 */
final class CuratorCalls extends AdvancedTracerDriver {
  private final Map<String, LongAdder> byOperationAndPath = new ConcurrentHashMap<>();

  @Override
  public void addTrace(OperationTrace trace) {
    if (trace.getPath() != null) {
      byOperationAndPath
          .computeIfAbsent(trace.getName() + " " + trace.getPath(), k -> new LongAdder())
          .increment();
    }
  }

  @Override
  public void addEvent(EventTrace trace) {
    // connection events: not requests
  }

  /** Operations whose builder name starts with {@code builder} on paths under {@code prefix}. */
  long count(String builder, String pathPrefix) {
    long n = 0;
    for (Map.Entry<String, LongAdder> e : byOperationAndPath.entrySet()) {
      int space = e.getKey().indexOf(' ');
      String name = e.getKey().substring(0, space);
      String path = e.getKey().substring(space + 1);
      if (name.startsWith(builder) && path.startsWith(pathPrefix)) {
        n += e.getValue().sum();
      }
    }
    return n;
  }

  /**
   * Lists of {@code parent}'s children, as Curator sends them: its getChildren builder (in the
   * background, with a Stat: opcode getChildren2), and the plain getChildren with which a protected
   * create looks for a node it may have made before an error ({@code
   * findProtectedNodeInForeground}, traced with the node's path).
   */
  long getChildren2(String parent) {
    return countExactly("GetChildrenBuilderImpl", parent);
  }

  /** See {@link #getChildren2}: the protected create's own look at the parent's children. */
  long getChildren(String parent) {
    return count("CreateBuilderImpl-findProtectedNodeInForeground", parent + "/");
  }

  /** Operations of a builder on exactly {@code path}. */
  long countExactly(String builder, String path) {
    long n = 0;
    for (Map.Entry<String, LongAdder> e : byOperationAndPath.entrySet()) {
      if (e.getKey().startsWith(builder) && e.getKey().endsWith(" " + path)) {
        n += e.getValue().sum();
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return byOperationAndPath.toString();
  }
}
