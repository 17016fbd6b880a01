package dev.zkdigest.quorum;

import java.util.ArrayList;
import java.util.List;

/**
 * A ZooKeeper quorum configuration: the {@code server.N=...} lines and the {@code version} line, as
 * election notifications carry it and as {@code zoo.cfg} (or its dynamic file) holds it. Other keys
 * are ignored.
 *
 * @param version the configuration version ({@code version=} in hex), or -1 when absent
 */
public record QuorumConfig(List<Member> members, long version) {

  public QuorumConfig {
    members = List.copyOf(members);
  }

  /** A host and port as written, the host without IPv6 brackets. */
  public record HostPort(String host, int port) {
    @Override
    public String toString() {
      return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  /**
   * One {@code server.N} line: {@code host:quorumPort:electionPort[|...][:role][;client]}.
   *
   * @param role {@code participant} or {@code observer}
   */
  public record Member(long sid, List<HostPort> quorum, List<HostPort> election, String role) {
    public Member {
      quorum = List.copyOf(quorum);
      election = List.copyOf(election);
    }
  }

  /** Parses configuration text; lines it cannot read are skipped. */
  public static QuorumConfig parse(String text) {
    List<Member> members = new ArrayList<>();
    long version = -1;
    for (String raw : text.split("\n")) {
      String line = raw.trim();
      int eq = line.indexOf('=');
      if (line.startsWith("#") || eq < 0) {
        continue;
      }
      String key = line.substring(0, eq).trim();
      String value = line.substring(eq + 1).trim();
      if (key.equals("version")) {
        try {
          version = Long.parseUnsignedLong(value, 16);
        } catch (NumberFormatException e) {
          // not a version we can read: leave it unknown
        }
      } else if (key.startsWith("server.")) {
        Member m = member(key.substring("server.".length()), value);
        if (m != null) {
          members.add(m);
        }
      }
    }
    return new QuorumConfig(members, version);
  }

  /** One server line, or null when it is not one. */
  static Member member(String id, String value) {
    long sid;
    try {
      sid = Long.parseLong(id.trim());
    } catch (NumberFormatException e) {
      return null;
    }
    int semi = value.indexOf(';');
    String servers = semi >= 0 ? value.substring(0, semi) : value;
    List<HostPort> quorum = new ArrayList<>();
    List<HostPort> election = new ArrayList<>();
    String role = "participant";
    for (String one : servers.split("\\|")) {
      List<String> parts = hostAndPorts(one.trim());
      if (parts.size() < 3 || parts.size() > 4) {
        return null;
      }
      try {
        quorum.add(new HostPort(parts.get(0), port(parts.get(1))));
        election.add(new HostPort(parts.get(0), port(parts.get(2))));
      } catch (NumberFormatException e) {
        return null;
      }
      if (parts.size() == 4) {
        role = parts.get(3);
      }
    }
    return new Member(sid, quorum, election, role);
  }

  /** Splits {@code host:p:p[:role]}, where an IPv6 host is in brackets. */
  private static List<String> hostAndPorts(String s) {
    List<String> out = new ArrayList<>();
    String rest = s;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        return out;
      }
      out.add(s.substring(1, close));
      rest = s.substring(close + 1);
      if (rest.startsWith(":")) {
        rest = rest.substring(1);
      }
    } else {
      int colon = s.indexOf(':');
      if (colon < 0) {
        out.add(s);
        return out;
      }
      out.add(s.substring(0, colon));
      rest = s.substring(colon + 1);
    }
    for (String p : rest.split(":")) {
      out.add(p.trim());
    }
    return out;
  }

  private static int port(String s) {
    int p = Integer.parseInt(s);
    if (p < 0 || p > 65535) {
      throw new NumberFormatException("port out of range");
    }
    return p;
  }

  /** The member with this id, or null. */
  public Member member(long sid) {
    for (Member m : members) {
      if (m.sid() == sid) {
        return m;
      }
    }
    return null;
  }
}
