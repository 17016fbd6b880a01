package dev.zkdigest.proxy;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.RetainBudget;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.ZkConnection;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A transparent TCP proxy for ZooKeeper: every byte is forwarded untouched in both directions, and
 * a copy goes to the protocol core. One upstream per listening address, so a client's connection
 * string can list one proxy port per server and ZooKeeper's own failover still works. Each side of
 * a route may be TLS: the proxy then terminates it, and the clear bytes in between are what is
 * forwarded and analysed.
 */
public final class ZkProxy implements AutoCloseable {

  /**
   * How the proxy runs.
   *
   * @param connectTimeoutMillis how long to wait for an upstream to accept
   * @param threads event loop threads (0: Netty's default, twice the cores)
   * @param tlsEngine the TLS implementation of routes that use TLS
   */
  public record Options(
      ProtocolConfig protocol, int connectTimeoutMillis, int threads, TlsEngine tlsEngine) {
    public static final Options DEFAULTS =
        new Options(ProtocolConfig.DEFAULTS, 5_000, 0, TlsEngine.AUTO);

    public Options(ProtocolConfig protocol, int connectTimeoutMillis, int threads) {
      this(protocol, connectTimeoutMillis, threads, TlsEngine.AUTO);
    }

    public Options withTlsEngine(TlsEngine engine) {
      return new Options(protocol, connectTimeoutMillis, threads, engine);
    }
  }

  /**
   * What a certificate reload did.
   *
   * @param reloaded routes whose contexts were rebuilt, by listening address
   * @param failures one line per route whose files did not load (its old contexts stay)
   * @param warnings one line per warning (a key file others can read, an expired certificate)
   */
  public record Reload(List<String> reloaded, List<String> failures, List<String> warnings) {}

  private final List<TlsContexts> tls = new ArrayList<>();
  private final List<String> tlsWarnings = new ArrayList<>();
  private String tlsEngine;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final List<Channel> servers = new ArrayList<>();
  private final List<InetSocketAddress> bound = new ArrayList<>();
  private final ProxyStats stats = new ProxyStats();

  /** Large frames in progress on all connections together (see {@link RetainBudget}). */
  private final RetainBudget budget;

  private final boolean epoll;

  private ZkProxy(Options opts) {
    // Native epoll where Netty ships it (Linux): measured cheaper per forwarded byte than NIO.
    this.epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.boss = new MultiThreadIoEventLoopGroup(1, io);
    this.workers = new MultiThreadIoEventLoopGroup(opts.threads(), io);
    this.budget = new RetainBudget(opts.protocol().retainBudget());
  }

  /** The socket channel type matching the event loops, for the upstream connections. */
  Class<? extends SocketChannel> socketChannel() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /**
   * Binds every route, or fails with a one-line message and binds none.
   *
   * @throws IOException when an address cannot be bound (in use, no permission, unknown host), or a
   *     TLS file does not load (missing, unreadable, a key that does not match its certificate)
   */
  public static ZkProxy start(List<Route> routes, Options opts, TrafficListener listener)
      throws IOException {
    return start(routes, opts, () -> listener);
  }

  /**
   * Binds every route; each connection's analysis reports to {@code listeners.get()}, called on the
   * connection's event loop when the connection is set up (so a listener per event loop, such as a
   * single-writer recorder, is only ever fed by its own thread).
   *
   * @throws IOException when an address cannot be bound (in use, no permission, unknown host)
   */
  public static ZkProxy start(List<Route> routes, Options opts, Supplier<TrafficListener> listeners)
      throws IOException {
    ZkProxy proxy = new ZkProxy(opts);
    AtomicLong ids = new AtomicLong();
    try {
      SslProvider provider = null;
      for (Route route : routes) {
        if (route.listenerTls() != null || route.upstreamTls() != null) {
          provider = opts.tlsEngine().provider();
          proxy.tlsEngine = TlsEngine.describe(provider);
          proxy.stats.usesTls();
          break;
        }
      }
      Listener.Taps taps =
          (client, upstream, openedNanos, tlsInfo) ->
              new Tap(
                  new ZkConnection(
                      new ConnectionMeta(
                          ids.incrementAndGet(),
                          client.getAddress().getHostAddress(),
                          client.getPort(),
                          upstream.getHostString(),
                          upstream.getPort(),
                          openedNanos,
                          true,
                          tlsInfo),
                      opts.protocol(),
                      // Opened on the connection's event loop: a listener per loop, such as a
                      // single-writer recorder, is only ever fed by its own thread.
                      listeners.get(),
                      proxy.budget),
                  proxy.stats);
      for (Route route : routes) {
        InetSocketAddress listen = resolve(route.listen());
        TlsContexts contexts = TlsContexts.load(route, provider, proxy.tlsWarnings);
        proxy.tls.add(contexts);
        Listener l =
            new Listener(
                route.upstream(),
                contexts,
                opts.connectTimeoutMillis(),
                proxy.socketChannel(),
                proxy.stats,
                taps);
        ServerBootstrap b =
            new ServerBootstrap()
                .group(proxy.boss, proxy.workers)
                .channel(
                    proxy.epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(
                    new ChannelInitializer<SocketChannel>() {
                      @Override
                      protected void initChannel(SocketChannel ch) {
                        if (l.tlsToClients()) {
                          ch.pipeline()
                              .addLast(new LingeringClose())
                              .addLast(l.tls.newListenerHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new FrontendHandler(l));
                      }
                    });
        ChannelFuture f = b.bind(listen).awaitUninterruptibly();
        if (!f.isSuccess()) {
          throw bindFailure(listen, f.cause());
        }
        proxy.servers.add(f.channel());
        proxy.bound.add((InetSocketAddress) f.channel().localAddress());
      }
      return proxy;
    } catch (IOException | RuntimeException e) {
      proxy.close();
      throw e;
    }
  }

  private static InetSocketAddress resolve(InetSocketAddress a) throws IOException {
    InetSocketAddress r = new InetSocketAddress(a.getHostString(), a.getPort());
    if (r.isUnresolved()) {
      throw new IOException("cannot resolve listen address " + a.getHostString());
    }
    return r;
  }

  private static IOException bindFailure(InetSocketAddress listen, Throwable cause) {
    String where = listen.getHostString() + ":" + listen.getPort();
    // NIO throws BindException, native epoll its own IOException: go by the message.
    String m = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (m.contains("in use")) {
      return new IOException("cannot listen on " + where + ": address already in use");
    }
    if (m.contains("permission") || m.contains("denied") || m.contains("not permitted")) {
      return new IOException("cannot listen on " + where + ": permission denied");
    }
    if (m.contains("assign requested address") || m.contains("cannot assign")) {
      return new IOException("cannot listen on " + where + ": no such local address");
    }
    return new IOException("cannot listen on " + where + ": " + cause.getMessage());
  }

  /** The addresses actually bound, in route order (useful when a port was 0). */
  public List<InetSocketAddress> boundAddresses() {
    return List.copyOf(bound);
  }

  public ProxyStats stats() {
    return stats;
  }

  /** Warnings from loading the TLS files at start, one line each (e.g. a key others can read). */
  public List<String> tlsWarnings() {
    return List.copyOf(tlsWarnings);
  }

  /** The TLS engine in use, for the startup line, or null when no route uses TLS. */
  public String tlsEngine() {
    return tlsEngine;
  }

  /**
   * Reads every route's certificates, keys and CAs again (on SIGHUP). Connections accepted from now
   * on use the new ones; open connections keep theirs and are not dropped. A route whose files do
   * not load keeps its current ones.
   */
  public synchronized Reload reloadTls() {
    List<String> reloaded = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < tls.size(); i++) {
      TlsContexts t = tls.get(i);
      if (t == null) {
        continue;
      }
      InetSocketAddress a = bound.get(i);
      String where = ConnectionMeta.hostPort(a.getAddress().getHostAddress(), a.getPort());
      try {
        t.reload(warnings);
        reloaded.add(where);
        stats.tlsReloads.incrementAndGet();
      } catch (IOException e) {
        failures.add(where + ": " + e.getMessage());
        stats.tlsReloadFailures.incrementAndGet();
      }
    }
    return new Reload(reloaded, failures, warnings);
  }

  @Override
  public void close() {
    for (Channel c : servers) {
      c.close().awaitUninterruptibly();
    }
    workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
