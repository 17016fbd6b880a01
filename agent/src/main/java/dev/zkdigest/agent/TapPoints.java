package dev.zkdigest.agent;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import dev.zkdigest.agent.bootstrap.ZkdigestBridge;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.function.BiFunction;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Where the agent taps ZooKeeper, the same in 3.5 to 3.9 (read in their sources):
 *
 * <ul>
 *   <li>NIO, client and server: every {@code SocketChannel.read/write} call inside {@code
 *       ClientCnxnSocketNIO} and {@code NIOServerCnxn} is replaced by the bridge's, which makes the
 *       same call and taps what went through; closes at {@code cleanup()} and {@code closeSock}.
 *   <li>Netty server: advice on the last handler of every client pipeline ({@code
 *       CnxnChannelHandler}), after TLS: {@code channelRead}, {@code write}, {@code
 *       channelInactive}.
 *   <li>Netty client: {@code ZKClientHandler.channelRead0} and {@code channelInactive}; requests as
 *       {@code sendPkt} encodes them ({@code Packet.createBB}).
 * </ul>
 *
 * A class that lacks what its tap needs (a ZooKeeper version the agent does not know) gets one line
 * on standard error and is left as it is.
 */
final class TapPoints {
  private static final String ZK = "org.apache.zookeeper.";
  private static final String ADVICE = "dev.zkdigest.agent.advice.";

  /** One class to instrument: what it must have, and what is done to it. */
  private record TapPoint(
      String className,
      List<Requirement> requirements,
      BiFunction<DynamicType.Builder<?>, Advices, DynamicType.Builder<?>> tap) {

    /** What is missing from {@code type}, or null if it has everything. */
    String missing(TypeDescription type) {
      for (Requirement r : requirements) {
        if (!r.test(type)) {
          return r.description();
        }
      }
      return null;
    }
  }

  private record Requirement(
      String description, ElementMatcher<? super MethodDescription> method, String field) {
    boolean test(TypeDescription type) {
      if (field != null) {
        return !type.getDeclaredFields().filter(named(field)).isEmpty();
      }
      return !type.getDeclaredMethods().filter(method).isEmpty();
    }
  }

  private static Requirement method(String name, int args) {
    return new Requirement(
        "no method " + name + " with " + args + " arguments",
        named(name).and(takesArguments(args)).and(not(isBridge())),
        null);
  }

  private static Requirement field(String name) {
    return new Requirement("no field " + name, null, name);
  }

  private TapPoints() {}

  /** Instruments ZooKeeper's classes, those loaded already and those to come. */
  static ResettableClassFileTransformer install(Instrumentation inst, ClassLoader agentLoader)
      throws ReflectiveOperationException {
    ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(agentLoader);
    AgentBuilder builder =
        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(new Errors())
            .ignore(not(nameStartsWith(ZK)));
    for (TapPoint p : points()) {
      builder =
          builder
              .type(named(p.className()))
              .transform(
                  (b, type, loader, module, domain) -> {
                    String missing = p.missing(type);
                    if (missing != null) {
                      AgentLog.once(
                          p.className(),
                          "not tapping "
                              + p.className()
                              + ": "
                              + missing
                              + " (a ZooKeeper version the agent does not know); its traffic is"
                              + " not seen");
                      return b;
                    }
                    return p.tap().apply(b, new Advices(locator, loader));
                  });
    }
    return builder.installOn(inst);
  }

  private static List<TapPoint> points() throws ReflectiveOperationException {
    Class<?> bridge = ZkdigestBridge.class;
    Method clientRead = bridge.getMethod("clientRead", SocketChannel.class, ByteBuffer.class);
    Method clientWrite = bridge.getMethod("clientWrite", SocketChannel.class, ByteBuffer.class);
    Method serverRead = bridge.getMethod("serverRead", SocketChannel.class, ByteBuffer.class);
    Method serverWrite = bridge.getMethod("serverWrite", SocketChannel.class, ByteBuffer.class);
    Method serverGather = bridge.getMethod("serverWrite", SocketChannel.class, ByteBuffer[].class);
    ElementMatcher.Junction<MethodDescription> read =
        named("read").and(takesArguments(ByteBuffer.class)).and(isDeclaredBy(SocketChannel.class));
    ElementMatcher.Junction<MethodDescription> write =
        named("write").and(takesArguments(ByteBuffer.class)).and(isDeclaredBy(SocketChannel.class));
    ElementMatcher.Junction<MethodDescription> gather =
        named("write")
            .and(takesArguments(ByteBuffer[].class))
            .and(isDeclaredBy(SocketChannel.class));
    return List.of(
        new TapPoint(
            ZK + "ClientCnxnSocketNIO",
            List.of(method("doIO", 2), method("cleanup", 0), field("sockKey")),
            (b, a) ->
                b.visit(
                        MemberSubstitution.relaxed()
                            .method(read)
                            .replaceWith(clientRead)
                            .method(write)
                            .replaceWith(clientWrite)
                            .on(isMethod()))
                    .visit(
                        a.advice("ClientNioCleanupAdvice")
                            .on(named("cleanup").and(takesNoArguments())))),
        new TapPoint(
            ZK + "server.NIOServerCnxn",
            List.of(
                method("doIO", 1),
                new Requirement(
                    "no static method closeSock(SocketChannel)",
                    named("closeSock").and(isStatic()).and(takesArguments(SocketChannel.class)),
                    null)),
            (b, a) ->
                b.visit(
                        MemberSubstitution.relaxed()
                            .method(read)
                            .replaceWith(serverRead)
                            .method(write)
                            .replaceWith(serverWrite)
                            .method(gather)
                            .replaceWith(serverGather)
                            .on(isMethod()))
                    .visit(
                        a.advice("ServerNioCloseAdvice")
                            .on(
                                named("closeSock")
                                    .and(isStatic())
                                    .and(takesArguments(SocketChannel.class))))),
        new TapPoint(
            ZK + "server.NettyServerCnxnFactory$CnxnChannelHandler",
            List.of(method("channelRead", 2), method("write", 3), method("channelInactive", 1)),
            (b, a) ->
                b.visit(
                        a.advice("NettyServerReadAdvice")
                            .on(named("channelRead").and(takesArguments(2))))
                    .visit(
                        a.advice("NettyServerWriteAdvice")
                            .on(named("write").and(takesArguments(3))))
                    .visit(
                        a.advice("NettyInactiveAdvice")
                            .on(named("channelInactive").and(takesArguments(1))))),
        new TapPoint(
            ZK + "ClientCnxnSocketNetty$ZKClientHandler",
            List.of(method("channelRead0", 2), method("channelInactive", 1)),
            (b, a) ->
                b.visit(
                        a.advice("NettyClientReadAdvice")
                            .on(
                                named("channelRead0")
                                    .and(takesArgument(1, named("io.netty.buffer.ByteBuf")))
                                    .and(not(isBridge()))))
                    .visit(
                        a.advice("NettyInactiveAdvice")
                            .on(named("channelInactive").and(takesArguments(1))))),
        new TapPoint(
            ZK + "ClientCnxnSocketNetty",
            List.of(method("sendPkt", 2), field("channel")),
            (b, a) ->
                b.visit(
                    a.advice("NettyClientSendAdvice").on(named("sendPkt").and(takesArguments(2))))),
        new TapPoint(
            ZK + "ClientCnxn$Packet",
            List.of(method("createBB", 0), field("bb")),
            (b, a) ->
                b.visit(
                    a.advice("PacketEncodedAdvice")
                        .on(named("createBB").and(takesNoArguments())))));
  }

  /**
   * Advice read from the agent's class files, never loaded (it names Netty's classes); the types it
   * names resolve in the class loader of the class being instrumented.
   */
  private record Advices(ClassFileLocator agent, ClassLoader target) {
    Advice advice(String simpleName) {
      ClassFileLocator both =
          new ClassFileLocator.Compound(agent, ClassFileLocator.ForClassLoader.of(target));
      return Advice.to(TypePool.Default.of(both).describe(ADVICE + simpleName).resolve(), both);
    }
  }

  /** One line per class that could not be instrumented; the class is left as it is. */
  private static final class Errors extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(
        String typeName,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        Throwable throwable) {
      AgentLog.once(
          "error " + typeName,
          "could not tap " + typeName + ": " + AgentLog.describe(throwable) + "; left as it is");
    }
  }
}
