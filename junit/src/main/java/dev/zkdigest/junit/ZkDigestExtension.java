package dev.zkdigest.junit;

import dev.zkdigest.budget.Budget;
import dev.zkdigest.budget.BudgetReport;
import dev.zkdigest.budget.BudgetResult;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Recording;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * Digests the ZooKeeper traffic of each test: the application under test connects to {@link
 * #connectString()}, a zkdigest proxy in front of an embedded ZooKeeper ({@link #embedded()}) or of
 * servers the tests already run ({@link #upstream}); or, with {@link #agent()}, wherever it likes,
 * tapped by the zkdigest agent in this JVM. {@link #digest()} is the current test's traffic, {@link
 * #assertWithin} checks a budget file, and every test leaves a report in {@code
 * target/zkdigest/<class>/<method>.txt} and {@code .json}, printed to the test's output when it
 * fails.
 *
 * <pre>{@code
 * @RegisterExtension static ZkDigestExtension zk = ZkDigestExtension.embedded();
 * }</pre>
 *
 * <p>Registered on a static field, the server and proxy live for the test class; on an instance
 * field, for each test. Tests of one extension must not run at the same time (JUnit's default): a
 * digest read while two overlap throws instead of mixing their traffic.
 *
 * <p>Memory: the digest's caps ({@link Digest.Limits#DEFAULTS}: 5,000 classes, 10,000 raw paths,
 * ...) bound each of the three snapshots kept (the class's, the test's and the recording's).
 */
public final class ZkDigestExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  /** Where reports go unless told otherwise (Maven's build directory, as a CI artifact). */
  public static final String REPORTS_PROPERTY = "zkdigest.reports";

  private static final Path DEFAULT_REPORTS = Path.of("target", "zkdigest");

  /** Where the extension is in its life; only RUNNING has a started source and a recording. */
  private enum State {
    NEW,
    RUNNING
  }

  private final TrafficSource source;
  private Digest.Limits limits = Digest.Limits.DEFAULTS;
  private Path reportsDir;

  private State state = State.NEW;
  private Recording recording;
  private String connectString;

  /** Class contexts entered and not yet left (nested classes included); 0 for per-test use. */
  private int classDepth;

  /** The class whose traffic {@link #classTraffic} is (the outermost, with nested classes). */
  private String className = "unknown";

  private DigestSnapshot classTraffic;

  /** The running test's class (a nested class for a nested test) and its name in reports. */
  private String testClassName;

  /** The running test's traffic so far, null between tests. */
  private DigestSnapshot testTraffic;

  private String testName;
  private int runningTests;
  private boolean overlapped;
  private final List<BudgetResult> testBudgets = new ArrayList<>();

  private ZkDigestExtension(TrafficSource source) {
    this.source = source;
  }

  /** An in-process ZooKeeper (the one on the test classpath) with the zkdigest proxy in front. */
  public static ZkDigestExtension embedded() {
    return new ZkDigestExtension(ProxySource.embedded());
  }

  /**
   * The zkdigest proxy in front of servers the tests already run (Curator's {@code TestingServer},
   * a container): {@code host:port[,host:port...][/chroot]}, one proxy port per server.
   */
  public static ZkDigestExtension upstream(String connectString) {
    return new ZkDigestExtension(ProxySource.upstream(() -> connectString));
  }

  /**
   * As {@link #upstream(String)}, the connect string asked for when the proxy starts: at the first
   * {@link #connectString()} or before the first test, so after {@code @BeforeAll} methods.
   */
  public static ZkDigestExtension upstream(Supplier<String> connectString) {
    return new ZkDigestExtension(ProxySource.upstream(connectString));
  }

  /**
   * The zkdigest agent attached to this JVM (once; it stays for the JVM's life), for applications
   * that open ZooKeeper connections themselves to fixed addresses: it taps every ZooKeeper client
   * in the JVM, and no server (a server here would count each request twice). There is no {@link
   * #connectString()}. The agent jar is {@code -Dzkdigest.agent.jar=PATH}, else {@code
   * agent/target/zkdigest-agent.jar} in the working directory or above; attaching needs a JDK. One
   * agent extension reads the agent at a time.
   */
  public static ZkDigestExtension agent() {
    return new ZkDigestExtension(new AgentSource());
  }

  /** Reports to {@code dir} instead of {@code target/zkdigest} (or {@value #REPORTS_PROPERTY}). */
  public ZkDigestExtension reportsTo(Path dir) {
    this.reportsDir = dir;
    return this;
  }

  /** Other caps on distinct classes, clients, raw paths, ... than the defaults. */
  public ZkDigestExtension limits(Digest.Limits limits) {
    this.limits = limits;
    return this;
  }

  /**
   * Where the application under test connects: the proxy (or proxies, with a chroot if given).
   *
   * @throws IllegalStateException with {@link #agent()}, which has no address of its own
   */
  public synchronized String connectString() {
    ensureStarted();
    if (connectString == null) {
      throw new IllegalStateException(
          "zkdigest: ZkDigestExtension.agent() has no connect string: the agent taps the"
              + " application's own ZooKeeper clients wherever they connect");
    }
    return connectString;
  }

  /**
   * The current test's traffic so far, as an immutable snapshot; outside a test (in
   * {@code @BeforeAll} or {@code @AfterAll}), the class's.
   *
   * @throws IllegalStateException when tests overlapped, so their traffic cannot be told apart
   */
  public synchronized TrafficDigest digest() {
    requireRunning();
    collect();
    if (testTraffic == null) {
      return new TrafficDigest(classTraffic, className);
    }
    if (overlapped) {
      throw new IllegalStateException(
          "zkdigest: tests ran at the same time through one ZkDigestExtension, so their traffic"
              + " cannot be told apart; run them one at a time (@Execution(SAME_THREAD)) or give"
              + " each its own extension");
    }
    return new TrafficDigest(testTraffic, testName);
  }

  /** The traffic since the test class started. */
  public synchronized TrafficDigest classDigest() {
    requireRunning();
    collect();
    return new TrafficDigest(classTraffic, className);
  }

  /**
   * Checks a budget file (the format of {@code zkdigest --budget}) against the current test's
   * traffic so far.
   *
   * @throws AssertionFailedError naming each broken rule, its measured value and the report
   * @throws dev.zkdigest.budget.BudgetException when the file cannot be used
   */
  public void assertWithin(Path budgetFile) {
    assertWithin(Budget.read(budgetFile));
  }

  /** Checks a budget against the current test's traffic so far. */
  public synchronized void assertWithin(Budget budget) {
    TrafficDigest d = digest();
    BudgetResult result = d.check(budget);
    testBudgets.add(result);
    if (!result.passed()) {
      // Written now, so the path in the message is there to open; rewritten when the test ends.
      Path report =
          reports().write(testClassName, reportName(), d.snapshot(), input(), testBudgets);
      throw new AssertionFailedError(BudgetReport.failureMessage(result, TestReports.show(report)));
    }
  }

  // ---- JUnit callbacks ----

  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    classDepth++;
    if (classDepth == 1) {
      className = context.getRequiredTestClass().getName();
      if (state == State.RUNNING) {
        collect();
      }
      classTraffic = DigestSnapshot.empty(limits);
    }
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    classDepth--;
    if (classDepth > 0 || state != State.RUNNING) {
      return;
    }
    collect();
    reports().write(className, "class", classTraffic, input(), List.of());
    close();
  }

  @Override
  public synchronized void beforeEach(ExtensionContext context) {
    ensureStarted();
    if (classDepth == 0) {
      className = context.getRequiredTestClass().getName();
      classTraffic = DigestSnapshot.empty(limits);
    }
    collect();
    runningTests++;
    if (runningTests > 1) {
      overlapped = true;
    }
    testTraffic = DigestSnapshot.empty(limits);
    testClassName = context.getRequiredTestClass().getName();
    testName = testClassName + "#" + methodName(context);
    testBudgets.clear();
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    if (state != State.RUNNING) {
      return;
    }
    collect();
    String name = methodName(context);
    Path report = reports().write(testClassName, name, testTraffic, input(), testBudgets);
    context.publishReportEntry("zkdigest.report", TestReports.show(report));
    Optional<Throwable> failure = context.getExecutionException();
    if (failure.isPresent()) {
      // The test log is where a failed build is read first.
      System.out.println(
          "zkdigest: ZooKeeper traffic of "
              + testName
              + " (report: "
              + TestReports.show(report)
              + ")");
      System.out.print(TestReports.text(testTraffic, input(), testBudgets));
      System.out.flush();
    }
    runningTests--;
    if (runningTests == 0) {
      overlapped = false;
      testTraffic = null;
    }
    testBudgets.clear();
    if (classDepth == 0) {
      close();
    }
  }

  // ---- internals ----

  private void ensureStarted() {
    if (state == State.RUNNING) {
      return;
    }
    Recording r = new Recording(limits, true);
    try {
      connectString = source.start(r::forCurrentThread);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("zkdigest: cannot start: " + e.getMessage(), e);
    }
    recording = r;
    state = State.RUNNING;
    if (classTraffic == null) {
      classTraffic = DigestSnapshot.empty(limits);
    }
  }

  private void requireRunning() {
    if (state != State.RUNNING) {
      throw new IllegalStateException(
          "zkdigest: nothing recorded yet: register the extension with @RegisterExtension and"
              + " connect to connectString()");
    }
  }

  /** Adds what the recorders took since the last read to the class's and the test's traffic. */
  private void collect() {
    DigestSnapshot phase = source.interval(recording);
    classTraffic = DigestSnapshot.merge(classTraffic, phase, limits);
    if (testTraffic != null) {
      testTraffic = DigestSnapshot.merge(testTraffic, phase, limits);
    }
  }

  private void close() {
    if (state == State.RUNNING) {
      source.close();
    }
    state = State.NEW;
    recording = null;
    classTraffic = null;
  }

  private String input() {
    return (testTraffic != null ? testName : className) + " via " + source.describe();
  }

  private String reportName() {
    int hash = testName == null ? -1 : testName.indexOf('#');
    return hash >= 0 ? testName.substring(hash + 1) : "class";
  }

  private TestReports reports() {
    Path dir = reportsDir;
    if (dir == null) {
      String p = System.getProperty(REPORTS_PROPERTY);
      dir = p != null ? Path.of(p) : DEFAULT_REPORTS;
    }
    return new TestReports(dir);
  }

  /** The method's name, with the invocation's index for repeated and parameterized tests. */
  private static String methodName(ExtensionContext context) {
    String method = context.getRequiredTestMethod().getName();
    String id = context.getUniqueId();
    int at = id.lastIndexOf("-invocation:#");
    if (at >= 0) {
      int end = id.indexOf(']', at);
      method +=
          "[" + id.substring(at + "-invocation:#".length(), end < 0 ? id.length() : end) + "]";
    }
    return method;
  }
}
