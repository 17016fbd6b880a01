package dev.zkdigest.protocol;

/** Names of watch event types and keeper states, as in {@code Watcher.Event}. */
public final class WatchEvents {
  private static final String[] TYPES = {
    "None",
    "NodeCreated",
    "NodeDeleted",
    "NodeDataChanged",
    "NodeChildrenChanged",
    "DataWatchRemoved",
    "ChildWatchRemoved",
    "PersistentWatchRemoved"
  };

  private WatchEvents() {}

  public static boolean isKnownType(int type) {
    return type >= -1 && type <= 7;
  }

  public static String typeName(int type) {
    if (type == -1) {
      return TYPES[0];
    }
    return type >= 1 && type < TYPES.length ? TYPES[type] : "EventType" + type;
  }

  public static String stateName(int state) {
    return switch (state) {
      case -1 -> "Unknown";
      case 0 -> "Disconnected";
      case 1 -> "NoSyncConnected";
      case 3 -> "SyncConnected";
      case 4 -> "AuthFailed";
      case 5 -> "ConnectedReadOnly";
      case 6 -> "SaslAuthenticated";
      case 7 -> "Closed";
      case -112 -> "Expired";
      default -> "KeeperState" + state;
    };
  }
}
