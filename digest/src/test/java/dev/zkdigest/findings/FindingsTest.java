package dev.zkdigest.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ReplyBody;
import dev.zkdigest.protocol.RequestBody;
import dev.zkdigest.protocol.WatchEvent;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Detectors on hand-made traffic, at and just below their thresholds. */
class FindingsTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final int NODE_CHILDREN_CHANGED = 4;

  private static ConnectionMeta conn(int i) {
    return new ConnectionMeta(i, "10.0.0." + (i % 200), 40_000 + i, "10.0.1.1", 2181, T0, true);
  }

  private static void read(
      Digest d,
      ConnectionMeta c,
      long session,
      Op op,
      String path,
      boolean watch,
      long t,
      int err) {
    ZkRequest r = new ZkRequest((int) (t / MS), op, path, RequestBody.Watch.of(watch), 40, t, true);
    d.request(c, session, r);
    d.exchange(
        c, session, r, new ZkReply(r.xid(), 1, err, ReplyBody.None.INSTANCE, 30, t + MS, true));
  }

  private static List<Finding> of(Digest d, Finding.Kind kind) {
    DigestSnapshot s = d.snapshot();
    return Findings.detect(s).stream().filter(f -> f.kind() == kind).toList();
  }

  /** {@code sessions} sessions get one NodeChildrenChanged on /p and list /p 5 ms later. */
  private static Digest herdOf(int sessions) {
    Digest d = new Digest();
    for (int i = 0; i < sessions; i++) {
      ConnectionMeta c = conn(i);
      d.event(c, 100 + i, new WatchEvent(NODE_CHILDREN_CHANGED, 3, "/p", 40, T0 + 10 * MS));
      read(d, c, 100 + i, Op.GET_CHILDREN, "/p", true, T0 + 15 * MS, 0);
    }
    return d;
  }

  @Test
  void tenSessionsRereadingAfterOneEventAreAHerdAndNineAreNot() {
    assertThat(of(herdOf(9), Finding.Kind.HERD)).isEmpty();
    List<Finding> herd = of(herdOf(10), Finding.Kind.HERD);
    assertThat(herd).hasSize(1);
    assertThat(herd.get(0).summary())
        .isEqualTo("10 sessions re-read /p within a second of one NodeChildrenChanged");
    assertThat(herd.get(0).evidence().count()).isEqualTo(10);
  }

  @Test
  void aRereadMoreThanASecondAfterTheEventIsNotPartOfAHerd() {
    Digest d = new Digest();
    for (int i = 0; i < 20; i++) {
      ConnectionMeta c = conn(i);
      d.event(c, 100 + i, new WatchEvent(NODE_CHILDREN_CHANGED, 3, "/p", 40, T0));
      read(d, c, 100 + i, Op.GET_CHILDREN, "/p", true, T0 + 1_500 * MS, 0);
    }
    assertThat(of(d, Finding.Kind.HERD)).isEmpty();
  }

  @Test
  void regularReadsWithoutAWatchArePollingIrregularOnesAreNot() {
    Digest regular = new Digest();
    Digest irregular = new Digest();
    ConnectionMeta c = conn(1);
    long t = T0;
    long[] gaps = {100, 900, 50, 1_500, 10, 700, 2_000, 30};
    for (int i = 0; i < 8; i++) {
      read(regular, c, 7, Op.EXISTS, "/flag", false, T0 + i * 200 * MS, 0);
      read(irregular, c, 7, Op.EXISTS, "/flag", false, t, 0);
      t += gaps[i] * MS;
    }
    List<Finding> polls = of(regular, Finding.Kind.POLLING);
    assertThat(polls).hasSize(1);
    assertThat(polls.get(0).summary())
        .isEqualTo("1 session polls exists /flag every 200 ms without a watch (8 reads)");
    assertThat(of(irregular, Finding.Kind.POLLING)).isEmpty();
  }

  @Test
  void aClassWhoseRepliesMostlyFailIsAnErrorStormWithItsFirstFailure() {
    Digest d = new Digest();
    ConnectionMeta c = conn(1);
    for (int i = 0; i < 30; i++) {
      read(d, c, 7, Op.GET_DATA, "/missing", false, T0 + i * MS, KeeperErrors.NONODE);
    }
    List<Finding> storms = of(d, Finding.Kind.ERROR_STORM);
    assertThat(storms).hasSize(1);
    assertThat(storms.get(0).evidence().cls()).isEqualTo("getData /missing");
    assertThat(storms.get(0).evidence().example().timeNanos()).isEqualTo(T0);
    assertThat(storms.get(0).remedy()).contains("create it");
  }

  @Test
  void thresholdsAreSetByNameAndUnknownNamesAreRefused() {
    Thresholds t = Thresholds.DEFAULTS.with("herd.sessions", "3").with("slow.factor", "2.5");
    assertThat(t.herdSessions()).isEqualTo(3);
    assertThat(t.slowFactor()).isEqualTo(2.5);
    assertThat(Findings.detect(herdOf(3).snapshot(), t))
        .anyMatch(f -> f.kind() == Finding.Kind.HERD);
    assertThatThrownBy(() -> Thresholds.DEFAULTS.with("herd.size", "3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown threshold 'herd.size' (known: herd.sessions, ");
    assertThatThrownBy(() -> Thresholds.DEFAULTS.with("herd.sessions", "many"))
        .hasMessage("threshold herd.sessions needs a number, got 'many'");
  }
}
