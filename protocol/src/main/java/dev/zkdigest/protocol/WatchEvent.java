package dev.zkdigest.protocol;

/**
 * A watch notification (xid -1): jute {@code WatcherEvent}.
 *
 * @param type {@code Watcher.Event.EventType} code, see {@link WatchEvents#typeName}
 * @param state {@code Watcher.Event.KeeperState} code
 */
public record WatchEvent(int type, int state, String path, int frameBytes, long timeNanos) {
  public String typeName() {
    return WatchEvents.typeName(type);
  }
}
