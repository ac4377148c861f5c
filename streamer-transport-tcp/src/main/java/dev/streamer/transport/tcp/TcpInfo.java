package dev.streamer.transport.tcp;

import dev.streamer.api.spi.LinkHealth;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What Linux's {@code TCP_INFO} says about one connected socket: smoothed round-trip time, its
 * variance, retransmissions, and the bytes in flight and still unsent.
 *
 * <p>The JDK offers neither {@code TCP_INFO} nor a socket's file descriptor. So {@code getsockopt}
 * is called through the FFM API, and the descriptor is found without internal API: the kernel
 * lists every TCP socket with its inode in {@code /proc/net/tcp} and {@code /proc/net/tcp6}, and
 * {@code /proc/self/fd/N} links to {@code socket:[inode]}. That lookup runs once, on the first
 * {@link #read()}; afterwards a read is two system calls into preallocated memory.
 *
 * <p>{@code tcpi_unacked} counts segments, not bytes; the bytes in flight are
 * {@code SIOCOUTQ} (written but not acknowledged, {@code write_seq - snd_una}) minus
 * {@code tcpi_notsent_bytes} (written but not sent, {@code write_seq - snd_nxt}).
 *
 * <p>Never fails the stream: on another system, without native access, or on any error, a read
 * returns {@link LinkHealth#UNKNOWN}, and the reason is logged once per process at DEBUG.
 * Thread-safe; {@link #invalidate()} must be called before the socket is closed, so that a read
 * never reaches a descriptor number the process has reused meanwhile.
 */
final class TcpInfo {

    // struct tcp_info in linux/tcp.h (stable ABI, fields are only ever appended)
    static final long OFFSET_RTT = 68; // __u32 tcpi_rtt, microseconds
    static final long OFFSET_RTTVAR = 72; // __u32 tcpi_rttvar, microseconds
    static final long OFFSET_TOTAL_RETRANS = 100; // __u32 tcpi_total_retrans, segments
    static final long OFFSET_NOTSENT_BYTES = 144; // __u32 tcpi_notsent_bytes, since Linux 4.6
    /** The kernel copies min(our length, its struct); 256 exceeds every struct tcp_info so far (6.x: 248). */
    static final int INFO_BYTES = 256;

    private static final int IPPROTO_TCP = 6;
    private static final int TCP_INFO = 11;
    private static final long SIOCOUTQ = 0x5411; // TIOCOUTQ
    private static final int FD_UNKNOWN = -2;
    private static final int FD_NONE = -1;

    private static final AtomicBoolean LOGGED_UNAVAILABLE = new AtomicBoolean();
    private static final AtomicBoolean LOGGED_NO_DESCRIPTOR = new AtomicBoolean();
    private static final AtomicBoolean LOGGED_CALL_FAILED = new AtomicBoolean();

    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final System.Logger logger;
    private final String what;
    private final Object lock = new Object();
    // guarded by lock
    private int fd = FD_UNKNOWN;
    private boolean invalid;
    private LinkHealth last = LinkHealth.UNKNOWN;
    private MemorySegment info;
    private MemorySegment length;
    private MemorySegment sendQueue;
    private MemorySegment callState;

    private TcpInfo(InetSocketAddress local, InetSocketAddress remote, String what, System.Logger logger) {
        this.local = local;
        this.remote = remote;
        this.what = what;
        this.logger = logger;
    }

    /** Return the info of a connected channel; reads nothing yet. {@code what} names it in the debug log. */
    static TcpInfo of(SocketChannel channel, String what, System.Logger logger) {
        InetSocketAddress local = null;
        InetSocketAddress remote = null;
        try {
            local = (InetSocketAddress) channel.getLocalAddress();
            remote = (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException | RuntimeException e) {
            // closed already: every read answers UNKNOWN
        }
        return new TcpInfo(local, remote, what, logger);
    }

    /**
     * Find the socket's descriptor now (a few milliseconds of reading /proc) and link the downcalls
     * (60-70 ms of CPU the first time), so that the first {@link #read()} does not: the server link's
     * acceptor thread calls it for each client. A client link leaves both to the status thread's
     * first read, a second after it connects, away from the first chunk's way out.
     */
    TcpInfo prepare() {
        if (Native.UNAVAILABLE == null) {
            synchronized (lock) {
                prepareLocked();
            }
            read(); // the first downcall links its stub: pay for that here too
        }
        return this;
    }

    private void prepareLocked() {
        if (fd != FD_UNKNOWN || invalid || local == null || remote == null) {
            return;
        }
        fd = lookUpDescriptor();
        if (fd >= 0) {
            Arena arena = Arena.ofAuto(); // once per connection; freed with this object
            info = arena.allocate(INFO_BYTES, 8);
            length = arena.allocate(ValueLayout.JAVA_INT);
            sendQueue = arena.allocate(ValueLayout.JAVA_INT);
            callState = arena.allocate(Native.CALL_STATE);
        }
    }

    /** Return what the kernel knows now, or {@link LinkHealth#UNKNOWN}. Two system calls (after {@link #prepare()}). */
    LinkHealth read() {
        if (Native.UNAVAILABLE != null) {
            if (LOGGED_UNAVAILABLE.compareAndSet(false, true)) {
                logger.log(Level.DEBUG, "TCP_INFO is not available, link health stays unknown: {0}", Native.UNAVAILABLE);
            }
            return LinkHealth.UNKNOWN;
        }
        synchronized (lock) {
            if (invalid || local == null || remote == null) {
                return LinkHealth.UNKNOWN;
            }
            prepareLocked(); // only if prepare() was not called
            if (fd < 0) {
                return LinkHealth.UNKNOWN;
            }
            try {
                length.set(ValueLayout.JAVA_INT, 0, INFO_BYTES);
                int rc = (int) Native.GETSOCKOPT.invokeExact(callState, fd, IPPROTO_TCP, TCP_INFO, info, length);
                if (rc != 0) {
                    logCallFailure("getsockopt(TCP_INFO)");
                    return LinkHealth.UNKNOWN;
                }
                int got = length.get(ValueLayout.JAVA_INT, 0);
                long queued = -1;
                rc = (int) Native.IOCTL.invokeExact(callState, fd, SIOCOUTQ, sendQueue);
                if (rc == 0) {
                    queued = Integer.toUnsignedLong(sendQueue.get(ValueLayout.JAVA_INT, 0));
                } else {
                    logCallFailure("ioctl(SIOCOUTQ)");
                }
                return remember(info, got, queued);
            } catch (Throwable e) {
                if (LOGGED_CALL_FAILED.compareAndSet(false, true)) {
                    logger.log(Level.DEBUG, "TCP_INFO of " + what + " failed, link health stays unknown", e);
                }
                return LinkHealth.UNKNOWN;
            }
        }
    }

    /** Forget the descriptor; call before the socket is closed. Idempotent. */
    void invalidate() {
        synchronized (lock) {
            invalid = true;
            fd = FD_NONE;
        }
    }

    /** Decode into {@link #last}, reusing it when nothing changed: a status thread polls an idle link for hours. */
    private LinkHealth remember(MemorySegment info, int got, long queued) {
        if (got <= OFFSET_TOTAL_RETRANS + 3) {
            return LinkHealth.UNKNOWN;
        }
        long rtt = u32(info, OFFSET_RTT);
        long rttVar = u32(info, OFFSET_RTTVAR);
        long retransmits = u32(info, OFFSET_TOTAL_RETRANS);
        long notSent = got >= OFFSET_NOTSENT_BYTES + 4 ? u32(info, OFFSET_NOTSENT_BYTES) : -1;
        long unacked = queued >= 0 && notSent >= 0 ? Math.max(0, queued - notSent) : -1;
        LinkHealth previous = last;
        if (previous.rttMicros() != rtt || previous.rttVarianceMicros() != rttVar || previous.retransmits() != retransmits
                || previous.unackedBytes() != unacked || previous.notSentBytes() != notSent) {
            last = new LinkHealth(rtt, rttVar, retransmits, unacked, notSent);
        }
        return last;
    }

    /**
     * Decode a {@code struct tcp_info} of {@code got} bytes (as getsockopt returned it, in native
     * byte order) and the {@code SIOCOUTQ} value ({@code -1} if unknown).
     */
    static LinkHealth decode(MemorySegment info, int got, long sendQueueBytes) {
        return new TcpInfo(null, null, "", System.getLogger(TcpInfo.class.getName())).remember(info, got, sendQueueBytes);
    }

    private static long u32(MemorySegment segment, long offset) {
        return Integer.toUnsignedLong(segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset));
    }

    private void logCallFailure(String call) {
        if (LOGGED_CALL_FAILED.compareAndSet(false, true)) {
            int errno = (int) Native.ERRNO.get(callState, 0L);
            logger.log(Level.DEBUG, "{0} on {1} failed with errno {2}; link health stays unknown", call, what, errno);
        }
    }

    private int lookUpDescriptor() {
        try {
            long inode = -1;
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path path = Path.of(table);
                if (!Files.isReadable(path)) {
                    continue;
                }
                // both ports as the kernel prints them, to skip the other sockets' lines without parsing them
                String localPort = String.format(Locale.ROOT, ":%04X ", local.getPort());
                String remotePort = String.format(Locale.ROOT, ":%04X ", remote.getPort());
                try (var lines = Files.lines(path)) {
                    inode = lines.skip(1).filter(line -> line.contains(localPort) && line.contains(remotePort))
                            .mapToLong(line -> inodeOf(line, local, remote, ByteOrder.nativeOrder()))
                            .filter(found -> found > 0).findFirst().orElse(-1);
                }
                if (inode > 0) {
                    break;
                }
            }
            if (inode > 0) {
                String socket = "socket:[" + inode + "]";
                try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                    for (Path descriptor : descriptors) {
                        try {
                            if (Files.readSymbolicLink(descriptor).toString().equals(socket)) {
                                return Integer.parseInt(descriptor.getFileName().toString());
                            }
                        } catch (IOException | NumberFormatException e) {
                            // closed meanwhile, or not a descriptor: look at the next one
                        }
                    }
                }
            }
            if (LOGGED_NO_DESCRIPTOR.compareAndSet(false, true)) {
                logger.log(Level.DEBUG, "no descriptor found for {0} ({1} -> {2}{3}); link health stays unknown", what,
                        local, remote, inode > 0 ? ", inode " + inode : "");
            }
        } catch (IOException | RuntimeException e) {
            if (LOGGED_NO_DESCRIPTOR.compareAndSet(false, true)) {
                logger.log(Level.DEBUG, "cannot look up the descriptor of " + what + "; link health stays unknown", e);
            }
        }
        return FD_NONE;
    }

    /**
     * Return the inode of a line of {@code /proc/net/tcp} or {@code /proc/net/tcp6} if it is the
     * connection {@code local -> remote}, else -1. IPv4 addresses match their IPv4-mapped form, as a
     * dual-stack socket lists them. {@code order} is the kernel's: it prints each 32-bit word of an
     * address as a host-order number.
     */
    static long inodeOf(String line, InetSocketAddress local, InetSocketAddress remote, ByteOrder order) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 10) {
            return -1;
        }
        try {
            if (!matches(fields[1], local, order) || !matches(fields[2], remote, order)) {
                return -1;
            }
            return Long.parseLong(fields[9]);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static boolean matches(String field, InetSocketAddress address, ByteOrder order) {
        int colon = field.indexOf(':');
        if (colon < 0 || Integer.parseInt(field.substring(colon + 1), 16) != address.getPort()) {
            return false;
        }
        String hex = field.substring(0, colon);
        if (hex.length() != 8 && hex.length() != 32) {
            return false;
        }
        ByteBuffer bytes = ByteBuffer.allocate(hex.length() / 2).order(order);
        for (int i = 0; i < hex.length(); i += 8) {
            bytes.putInt(Integer.parseUnsignedInt(hex, i, i + 8, 16));
        }
        return Arrays.equals(as16Bytes(bytes.array()), as16Bytes(address.getAddress().getAddress()));
    }

    /** IPv4 as IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}), IPv6 as is. */
    private static byte[] as16Bytes(byte[] address) {
        if (address.length == 16) {
            return address;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(address, 0, mapped, 12, 4);
        return mapped;
    }

    /** Return whether TCP_INFO can be read here at all (Linux, native access granted). */
    static boolean supported() {
        return Native.UNAVAILABLE == null;
    }

    /** The downcalls, linked once; {@link #UNAVAILABLE} says why not where they cannot be. */
    private static final class Native {
        static final MethodHandle GETSOCKOPT;
        static final MethodHandle IOCTL;
        static final StructLayout CALL_STATE;
        static final VarHandle ERRNO;
        static final String UNAVAILABLE;

        static {
            MethodHandle getsockopt = null;
            MethodHandle ioctl = null;
            StructLayout callState = null;
            VarHandle errno = null;
            String unavailable = null;
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (!os.startsWith("linux")) {
                unavailable = "TCP_INFO is read on Linux only, this is " + System.getProperty("os.name");
            } else {
                try {
                    Linker linker = Linker.nativeLinker();
                    Linker.Option captureErrno = Linker.Option.captureCallState("errno");
                    callState = Linker.Option.captureStateLayout();
                    errno = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                    // int getsockopt(int fd, int level, int name, void *value, socklen_t *length)
                    getsockopt = downcall(linker, "getsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS), captureErrno);
                    // int ioctl(int fd, unsigned long request, ...): one variadic pointer
                    ioctl = downcall(linker, "ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(2), captureErrno);
                } catch (Throwable e) { // IllegalCallerException without native access, UnsupportedOperationException, ...
                    unavailable = e.toString();
                }
            }
            GETSOCKOPT = getsockopt;
            IOCTL = ioctl;
            CALL_STATE = callState;
            ERRNO = errno;
            UNAVAILABLE = unavailable;
        }

        /**
         * Link a libc function. Restricted: the module is granted native access by
         * {@code --enable-native-access=dev.streamer.transport.tcp} (jlink image options, surefire's
         * argLine); without it the JDK prints a warning once, or refuses, and health stays unknown.
         */
        @SuppressWarnings("restricted")
        private static MethodHandle downcall(Linker linker, String name, FunctionDescriptor descriptor, Linker.Option... options) {
            return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(), descriptor, options);
        }

        private Native() {
        }
    }
}
