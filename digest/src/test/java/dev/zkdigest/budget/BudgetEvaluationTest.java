package dev.zkdigest.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Recorder;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ReplyBody;
import dev.zkdigest.protocol.RequestBody;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import dev.zkdigest.report.JsonWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Budgets measured on traffic fed to a digest here, so the expected values are what was fed. */
class BudgetEvaluationTest {
  private static final ConnectionMeta CONN =
      new ConnectionMeta(1, "10.0.0.1", 40000, "10.0.0.2", 2181, 1_000, true);
  private static final int REQUEST_BYTES = 40;
  private static final int REPLY_BYTES = 30;

  private int xid;
  private long clock = 1_000_000;

  private void call(Recorder r, Op op, String path, int err, long latencyUs) {
    xid++;
    clock += 1_000_000;
    ZkRequest q =
        new ZkRequest(xid, op, path, RequestBody.None.INSTANCE, REQUEST_BYTES, clock, true);
    r.request(CONN, 7, q);
    r.exchange(
        CONN,
        7,
        q,
        new ZkReply(
            xid, 1, err, ReplyBody.None.INSTANCE, REPLY_BYTES, clock + latencyUs * 1_000, true));
  }

  /** 3 getChildren on lock nodes, 1 on another path, 5 getData of which 2 NONODE. */
  private DigestSnapshot traffic(Digest.Limits limits) {
    Recording rec = new Recording(limits);
    Recorder r = rec.newRecorder();
    r.opened(CONN);
    call(r, Op.GET_CHILDREN, "/app/locks/lock-1", 0, 100);
    call(r, Op.GET_CHILDREN, "/app/locks/lock-2", 0, 100);
    call(r, Op.GET_CHILDREN, "/app/locks/lock-2", 0, 100);
    call(r, Op.GET_CHILDREN, "/app/other", 0, 100);
    for (int i = 0; i < 3; i++) {
      call(r, Op.GET_DATA, "/app/config", 0, 2_000);
    }
    call(r, Op.GET_DATA, "/app/missing", KeeperErrors.NONODE, 5_000);
    call(r, Op.GET_DATA, "/app/missing", KeeperErrors.NONODE, 5_000);
    return rec.total();
  }

  private static long measure(DigestSnapshot s, String rule) {
    return Budget.parse("t", rule).evaluate(s).results().get(0).measured().value();
  }

  @Test
  void measuresWhatWasFed() {
    DigestSnapshot s = traffic(Digest.Limits.DEFAULTS);
    assertThat(measure(s, "calls getChildren /app/locks/* <= 0")).isEqualTo(3);
    assertThat(measure(s, "calls getChildren <= 0")).isEqualTo(4);
    assertThat(measure(s, "calls * <= 0")).isEqualTo(9);
    assertThat(measure(s, "calls * /app/** <= 0")).isEqualTo(9);
    assertThat(measure(s, "errors NONODE <= 0")).isEqualTo(2);
    assertThat(measure(s, "errors getData:NONODE <= 0")).isEqualTo(2);
    assertThat(measure(s, "errors getChildren:* <= 0")).isZero();
    assertThat(measure(s, "errors * <= 0")).isEqualTo(2);
    assertThat(measure(s, "max getData <= 0s")).isBetween(4_950L, 5_050L);
    assertThat(measure(s, "p50 getData <= 0s")).isBetween(1_980L, 2_020L);
    assertThat(measure(s, "bytes getData <= 0")).isEqualTo(5L * (REQUEST_BYTES + REPLY_BYTES));
    assertThat(measure(s, "bytes getChildren /app/locks/* <= 0"))
        .isEqualTo(3L * (REQUEST_BYTES + REPLY_BYTES));
    assertThat(measure(s, "finding * <= 0")).isZero();
    assertThat(measure(s, "calls setData <= 0")).isZero();
    assertThat(measure(s, "p99 setData <= 0s")).isZero();
  }

  @Test
  void verdictsFollowTheComparison() {
    DigestSnapshot s = traffic(Digest.Limits.DEFAULTS);
    BudgetResult r =
        Budget.parse(
                "b.txt",
                """
                calls getChildren /app/locks/* <= 3
                calls getChildren /app/locks/* < 3
                errors NONODE == 2
                errors NONODE >= 3
                p99 getData <= 10ms
                """)
            .evaluate(s);
    assertThat(r.results().stream().map(RuleResult::verdict))
        .containsExactly(Verdict.OK, Verdict.BROKEN, Verdict.OK, Verdict.BROKEN, Verdict.OK);
    assertThat(r.passed()).isFalse();
    assertThat(BudgetReport.summary(r)).isEqualTo("2 of 5 rules broken");
    assertThat(BudgetReport.failureMessage(r, "target/zkdigest/T/m.txt"))
        .isEqualTo(
            String.join(
                System.lineSeparator(),
                "zkdigest budget b.txt: 2 of 5 rules broken",
                "  line 2: calls getChildren /app/locks/* < 3: measured 3",
                "  line 4: errors NONODE >= 3: measured 2",
                "report: target/zkdigest/T/m.txt"));
  }

  @Test
  void aGlobOverPathsPastTheCapIsARangeNeverAnUndercount() {
    // given: a cap of 2 distinct paths for 4 distinct (op, path) pairs
    Digest.Limits two = new Digest.Limits(5_000, 10_000, 0, 1_000, 100_000, 16_384, 50, 100, 2);
    DigestSnapshot s = traffic(two);
    // when
    BudgetResult r =
        Budget.parse(
                "b.txt",
                """
                calls * /app/** <= 9
                calls * /app/** <= 0
                calls * /app/** == 9
                calls * /app/** >= 9
                calls * <= 9
                """)
            .evaluate(s);
    // then: the two kept paths give the least (one request at least each), and with the {other}
    // requests the most, which is all 9
    Measured m = r.results().get(0).measured();
    assertThat(m.exact()).isFalse();
    assertThat(m.high()).isEqualTo(9);
    assertThat(m.low()).isBetween(2L, 8L);
    assertThat(m.inexactBecause()).contains("cap of 2 distinct paths").contains("{other}");
    assertThat(r.results().stream().map(RuleResult::verdict))
        .containsExactly(
            Verdict.OK, Verdict.BROKEN, Verdict.UNDECIDED, Verdict.UNDECIDED, Verdict.OK);
    assertThat(r.passed()).isFalse();
    assertThatThrownBy(m::value)
        .isInstanceOf(InexactMeasurementException.class)
        .hasMessageContaining("cannot be exact: between " + m.low() + " and 9");
  }

  @Test
  void textAndJsonListEveryRuleWithItsMeasuredValue() {
    DigestSnapshot s = traffic(Digest.Limits.DEFAULTS);
    BudgetResult r =
        Budget.parse("b.txt", "calls getData == 5  # reads\np99 getData <= 1ms\n").evaluate(s);
    StringWriter text = new StringWriter();
    BudgetReport.text(r, new PrintWriter(text));
    assertThat(text.toString().lines().toList())
        .containsExactly(
            "",
            "# Budget b.txt: 1 of 2 rules broken",
            "# Line Verdict     Measured  Rule",
            "#    1 ok                 5  calls getData == 5",
            "#    2 BROKEN    "
                + String.format("%10s", r.results().get(1).measuredText())
                + "  p99 getData <= 1ms");
    StringWriter json = new StringWriter();
    JsonWriter w = new JsonWriter(new PrintWriter(json));
    w.beginObject();
    BudgetReport.json(r, w);
    w.endObject();
    assertThat(json.toString())
        .startsWith(
            "{\"budget\":{\"file\":\"b.txt\",\"passed\":false,\"broken\":1,\"undecided\":0,"
                + "\"rules\":[{\"line\":1,\"rule\":\"calls getData == 5\",\"metric\":\"calls\","
                + "\"target\":\"getData\",\"comparison\":\"==\",\"limit\":5,\"unit\":\"count\","
                + "\"measured\":5,\"measured_max\":5,\"exact\":true,\"verdict\":\"ok\"}");
    assertThat(List.of(r.results().get(1).rule().describe())).containsExactly("p99 getData <= 1ms");
  }
}
