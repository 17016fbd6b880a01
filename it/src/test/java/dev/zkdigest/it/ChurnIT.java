package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.bench.Churn;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/**
 * The small version of {@code benchmarks/churn.sh}: 1,000 sessions opened and closed through a
 * {@code zkdigest proxy} process; afterwards no connection is open and the live heap is back where
 * it was, but for the digest's set of distinct session ids (about 60 bytes each).
 */
class ChurnIT {
  private static final int SESSIONS = 1_000;

  /** Room for the session ids and the noise of a heap measured after a full GC. */
  private static final long HEAP_SLACK = 1 << 20;

  @Test
  void openConnectionsAndLiveHeapReturnToWhereTheyWere() throws Exception {
    Churn.Result r =
        Churn.run(
            LauncherIT.projectRoot(),
            200,
            SESSIONS,
            16,
            new PrintStream(OutputStream.nullOutputStream()));
    Churn.Sample before = r.samples().get(0);
    Churn.Sample after = r.samples().get(1);
    assertThat(after.open()).isZero();
    assertThat(after.liveHeapBytes() - before.liveHeapBytes()).isLessThan(HEAP_SLACK);
    assertThat(r.counted()).isEqualTo(r.sent());
    assertThat(r.sent().get("connect")).isEqualTo(200L + SESSIONS);
  }
}
