package dev.streamer.source.pulse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.SourceException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of libpulse's asynchronous API that the source uses, linked once through
 * {@link java.lang.foreign}: a {@code pa_mainloop} run by the thread that uses it, a context, a
 * record stream and the introspection of sources.
 *
 * <p>Loading never throws: a missing {@code libpulse.so.0} (or a JVM that denies this module native
 * access) is kept as {@link #problem()}, and {@link #require()} turns it into a
 * {@link SourceException} that says what to install. Discovering the plugin and listing its
 * devices therefore cannot crash the application.
 *
 * <p><b>One signature for every call.</b> Each distinct {@link FunctionDescriptor} costs a stub
 * generated at run time (about 10 ms each, which no AOT cache holds), and the source needs 15 of
 * them before it records: that was the longest step from launch to the first byte. So every
 * function is called through one handle, {@link #GENERIC}: five 64-bit integers in, one out. Every
 * function here takes at most five integer or pointer arguments and returns an integer, a pointer
 * or nothing, and on the 64-bit ABIs libpulse runs on (x86-64 System V, AArch64, RISC-V, POWER)
 * each such argument travels in its own general-purpose register whatever its width: a function
 * ignores the registers beyond its parameters, reads a 32-bit {@code int} from the low half of its
 * register, and its {@code int} result is the low half of the one returned. Callbacks likewise all
 * take four {@code long}s ({@link #CALLBACK}) and ignore those libpulse does not pass. Pointers are
 * {@code long}s throughout, so calls create no {@link MemorySegment} object; native memory is read
 * through {@link #ALL}, which addresses every byte by its absolute address, so reading and copying
 * allocate nothing either.
 */
final class LibPulse {

    static final String LIBRARY = "libpulse.so.0";

    // pa_context_state_t
    static final int CONTEXT_READY = 4;
    static final int CONTEXT_FAILED = 5;
    static final int CONTEXT_TERMINATED = 6;
    // pa_stream_state_t
    static final int STREAM_READY = 2;
    static final int STREAM_FAILED = 3;
    static final int STREAM_TERMINATED = 4;
    // pa_operation_state_t
    static final int OPERATION_RUNNING = 0;
    // pa_stream_flags_t: the server sizes the source's latency to the fragment we ask for
    static final int STREAM_ADJUST_LATENCY = 0x2000;
    // pa_error_code_t
    static final int ERR_NOENTITY = 5;
    // pa_channel_map_def_t
    private static final int CHANNEL_MAP_DEFAULT = 0;

    /** pa_sample_format_t, indexed by its value. */
    private static final List<String> SAMPLE_FORMATS = List.of("u8", "alaw", "ulaw", "s16le", "s16be", "float32le",
            "float32be", "s32le", "s32be", "s24le", "s24be", "s24-32le", "s24-32be");
    static final int SAMPLE_S16LE = 3;

    /** pa_sample_spec {format int, rate uint32, channels uint8}: 12 bytes. */
    static final long SAMPLE_SPEC_BYTES = 12;
    /** pa_buffer_attr {maxlength, tlength, prebuf, minreq, fragsize}: five uint32. */
    static final long BUFFER_ATTR_BYTES = 20;
    static final long BUFFER_ATTR_FRAGSIZE = 16;
    /** pa_channel_map {channels uint8, map[32] int}. */
    static final long CHANNEL_MAP_BYTES = 4 + 32 * 4;
    // pa_source_info: the leading fields only, which have not moved since PulseAudio 0.9
    static final long SOURCE_INFO_NAME = 0;
    static final long SOURCE_INFO_DESCRIPTION = 16;
    static final long SOURCE_INFO_FORMAT = 24;
    static final long SOURCE_INFO_RATE = 28;
    static final long SOURCE_INFO_CHANNELS = 32;
    // pa_server_info: user_name, host_name, server_version, server_name, sample_spec, default_sink_name, default_source_name
    static final long SERVER_INFO_DEFAULT_SOURCE = 56;

    /** Every callback: pa_stream_notify_cb_t (stream, userdata), pa_server_info_cb_t (context, info, userdata), pa_source_info_cb_t (context, info, int eol, userdata). */
    static final FunctionDescriptor CALLBACK = FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    /** The Java type of a {@link #CALLBACK} target, bound to its receiver. */
    static final MethodType CALLBACK_TYPE = MethodType.methodType(void.class, long.class, long.class, long.class, long.class);
    /** The architectures (os.arch) whose calling convention {@link #GENERIC} relies on; see the class comment. */
    private static final List<String> GENERIC_ABIS = List.of("amd64", "aarch64", "riscv64", "ppc64le");
    /** Every downcall: the function's address, then five arguments; see the class comment. */
    private static final FunctionDescriptor GENERIC = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

    private static final Linker LINKER;
    private static final MethodHandle CALL;
    private static final List<String> MISSING = new ArrayList<>();
    private static final SymbolLookup LOOKUP;
    private static final String UNLOADABLE;

    /** All of memory, addressed by absolute address; only ever read at addresses libpulse handed out. */
    static final MemorySegment ALL;

    static {
        Linker linker = null;
        MethodHandle call = null;
        SymbolLookup lookup = null;
        MemorySegment all = MemorySegment.NULL;
        String why = null;
        try {
            if (ADDRESS.byteSize() != 8 || !GENERIC_ABIS.contains(System.getProperty("os.arch"))) {
                why = "libpulse is only called on " + String.join(", ", GENERIC_ABIS) + " (not " + System.getProperty("os.arch") + ")";
            } else {
                linker = Linker.nativeLinker();
                lookup = load();
                all = everything();
                call = generic(linker);
            }
        } catch (IllegalArgumentException e) { // what libraryLookup throws when dlopen fails
            why = LIBRARY + " could not be loaded (" + e.getMessage() + "); install PulseAudio's client library"
                    + " (Debian/Ubuntu: libpulse0, Fedora: pulseaudio-libs)";
        } catch (Throwable e) { // IllegalCallerException when native access is denied, UnsupportedOperationException, ...
            why = "libpulse cannot be called from Java here: " + e
                    + " (run with --enable-native-access=dev.streamer.source.pulse)";
        }
        LINKER = linker;
        CALL = call;
        LOOKUP = lookup;
        ALL = all;
        UNLOADABLE = why;
    }

    private static final MemorySegment GET_LIBRARY_VERSION = fn("pa_get_library_version");
    private static final MemorySegment STRERROR = fn("pa_strerror");

    private static final MemorySegment MAINLOOP_NEW = fn("pa_mainloop_new");
    private static final MemorySegment MAINLOOP_FREE = fn("pa_mainloop_free");
    private static final MemorySegment MAINLOOP_PREPARE = fn("pa_mainloop_prepare");
    private static final MemorySegment MAINLOOP_POLL = fn("pa_mainloop_poll");
    private static final MemorySegment MAINLOOP_DISPATCH = fn("pa_mainloop_dispatch");
    private static final MemorySegment MAINLOOP_WAKEUP = fn("pa_mainloop_wakeup");
    private static final MemorySegment MAINLOOP_GET_API = fn("pa_mainloop_get_api");

    private static final MemorySegment CONTEXT_NEW = fn("pa_context_new");
    private static final MemorySegment CONTEXT_CONNECT = fn("pa_context_connect");
    private static final MemorySegment CONTEXT_DISCONNECT = fn("pa_context_disconnect");
    private static final MemorySegment CONTEXT_UNREF = fn("pa_context_unref");
    private static final MemorySegment CONTEXT_GET_STATE = fn("pa_context_get_state");
    private static final MemorySegment CONTEXT_ERRNO = fn("pa_context_errno");
    private static final MemorySegment CONTEXT_GET_SERVER_INFO = fn("pa_context_get_server_info");
    private static final MemorySegment CONTEXT_GET_SOURCE_INFO_LIST = fn("pa_context_get_source_info_list");

    private static final MemorySegment OPERATION_GET_STATE = fn("pa_operation_get_state");
    private static final MemorySegment OPERATION_CANCEL = fn("pa_operation_cancel");
    private static final MemorySegment OPERATION_UNREF = fn("pa_operation_unref");

    private static final MemorySegment CHANNEL_MAP_INIT_EXTEND = fn("pa_channel_map_init_extend");

    private static final MemorySegment STREAM_NEW = fn("pa_stream_new");
    private static final MemorySegment STREAM_CONNECT_RECORD = fn("pa_stream_connect_record");
    private static final MemorySegment STREAM_GET_STATE = fn("pa_stream_get_state");
    private static final MemorySegment STREAM_READABLE_SIZE = fn("pa_stream_readable_size");
    private static final MemorySegment STREAM_PEEK = fn("pa_stream_peek");
    private static final MemorySegment STREAM_DROP = fn("pa_stream_drop");
    private static final MemorySegment STREAM_DISCONNECT = fn("pa_stream_disconnect");
    private static final MemorySegment STREAM_UNREF = fn("pa_stream_unref");
    private static final MemorySegment STREAM_SET_OVERFLOW_CALLBACK = fn("pa_stream_set_overflow_callback");
    private static final MemorySegment STREAM_GET_BUFFER_ATTR = fn("pa_stream_get_buffer_attr");
    private static final MemorySegment STREAM_GET_DEVICE_NAME = fn("pa_stream_get_device_name");

    private static final String PROBLEM = UNLOADABLE != null ? UNLOADABLE
            : MISSING.isEmpty() ? null : LIBRARY + " lacks " + String.join(", ", MISSING) + "; PulseAudio 1.0 or newer has them";

    private LibPulse() {
    }

    /** Return why libpulse cannot be used, or null if it can. */
    static String problem() {
        return PROBLEM;
    }

    /** Throw a SourceException saying why libpulse cannot be used, if it cannot. */
    static void require() throws SourceException {
        if (PROBLEM != null) {
            throw new SourceException("The pulse source needs libpulse: " + PROBLEM + ". Or capture with --source javasound.");
        }
    }

    @SuppressWarnings("restricted")
    private static SymbolLookup load() {
        return SymbolLookup.libraryLookup(LIBRARY, Arena.global()); // loaded once, for the life of the JVM
    }

    @SuppressWarnings("restricted")
    private static MemorySegment everything() {
        return MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    }

    @SuppressWarnings("restricted")
    private static MethodHandle generic(Linker linker) {
        return linker.downcallHandle(GENERIC);
    }

    /** Return the address of libpulse's function {@code name}; null, noted as missing, if it has none. */
    private static MemorySegment fn(String name) {
        if (LOOKUP == null) {
            return null;
        }
        var symbol = LOOKUP.find(name);
        if (symbol.isEmpty()) {
            MISSING.add(name);
            return null;
        }
        return symbol.get();
    }

    /** Create a function pointer that calls {@code target}, a {@link #CALLBACK_TYPE}; it lives as long as {@code arena}. */
    @SuppressWarnings("restricted")
    static MemorySegment upcall(MethodHandle target, Arena arena) {
        return LINKER.upcallStub(target, CALLBACK, arena);
    }

    /** Call {@code function} with up to five integer or pointer arguments (the rest 0); see the class comment. */
    private static long call(MemorySegment function, long a, long b, long c, long d, long e) {
        try {
            return (long) CALL.invokeExact(function, a, b, c, d, e);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    private static long call(MemorySegment function, long a, long b, long c, long d) {
        return call(function, a, b, c, d, 0);
    }

    private static long call(MemorySegment function, long a, long b, long c) {
        return call(function, a, b, c, 0, 0);
    }

    private static long call(MemorySegment function, long a, long b) {
        return call(function, a, b, 0, 0, 0);
    }

    private static long call(MemorySegment function, long a) {
        return call(function, a, 0, 0, 0, 0);
    }

    private static long call(MemorySegment function) {
        return call(function, 0, 0, 0, 0, 0);
    }

    @SuppressWarnings("restricted")
    private static MemorySegment pointer(long address) {
        return MemorySegment.ofAddress(address);
    }

    /** Read the NUL-terminated UTF-8 string at {@code address}; null for a null pointer. */
    static String string(long address) {
        return address == 0 ? null : ALL.getString(address);
    }

    /** Read the pointer at {@code address}. */
    static long pointerAt(long address) {
        return ALL.get(JAVA_LONG, address);
    }

    static int intAt(long address) {
        return ALL.get(JAVA_INT, address);
    }

    static int byteAt(long address) {
        return Byte.toUnsignedInt(ALL.get(ValueLayout.JAVA_BYTE, address));
    }

    /** Return the pa_sample_format_t that holds {@code format} exactly, or -1 if PulseAudio has none. */
    static int sampleFormat(PcmFormat format) {
        String name = switch (format.encoding()) {
            case UNSIGNED -> format.bits() == 8 ? "u8" : null;
            case FLOAT -> "float32";
            case SIGNED -> switch (format.bits() * 10 + format.bytesPerSample()) {
                case 162 -> "s16";
                case 243 -> "s24";
                case 244 -> "s24-32";
                case 324 -> "s32";
                default -> null;
            };
        };
        if (name == null) {
            return -1;
        }
        return SAMPLE_FORMATS.indexOf(format.bytesPerSample() == 1 ? name : name + (format.bigEndian() ? "be" : "le"));
    }

    /** Return PulseAudio's name of a pa_sample_format_t, e.g. {@code s16le}. */
    static String sampleFormatName(int format) {
        return format >= 0 && format < SAMPLE_FORMATS.size() ? SAMPLE_FORMATS.get(format) : "format " + format;
    }

    // Every call below: invokeExact on the one constant handle, nothing boxed, nothing allocated.
    // (int) keeps the low half of a register that holds a C int (see the class comment).

    private static RuntimeException failure(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    static String libraryVersion() {
        return string(call(GET_LIBRARY_VERSION));
    }

    static String strerror(int error) {
        String text = string(call(STRERROR, error));
        return text == null ? "error " + error : text;
    }

    static MemorySegment mainloopNew() {
        return pointer(call(MAINLOOP_NEW));
    }

    static void mainloopFree(MemorySegment m) {
        call(MAINLOOP_FREE, m.address());
    }

    /**
     * Run one iteration of the mainloop: wait at most {@code timeoutMicros} for the server or for
     * {@link #mainloopWakeup}, then run the callbacks of what arrived, on this thread.
     *
     * @return the number of events dispatched, or a negative value if the loop failed
     */
    static int mainloopIterate(long m, int timeoutMicros) {
        int r = (int) call(MAINLOOP_PREPARE, m, timeoutMicros);
        if (r < 0) {
            return r;
        }
        r = (int) call(MAINLOOP_POLL, m);
        return r < 0 ? r : (int) call(MAINLOOP_DISPATCH, m);
    }

    /** Make a poll of {@link #mainloopIterate} return at once; the one call that is safe from another thread. */
    static void mainloopWakeup(MemorySegment m) {
        call(MAINLOOP_WAKEUP, m.address());
    }

    static MemorySegment mainloopApi(MemorySegment m) {
        return pointer(call(MAINLOOP_GET_API, m.address()));
    }

    static MemorySegment contextNew(MemorySegment api, MemorySegment name) {
        return pointer(call(CONTEXT_NEW, api.address(), name.address()));
    }

    static int contextConnect(MemorySegment c, MemorySegment server, int flags) {
        return (int) call(CONTEXT_CONNECT, c.address(), server.address(), flags, 0);
    }

    static void contextDisconnect(MemorySegment c) {
        call(CONTEXT_DISCONNECT, c.address());
    }

    static void contextUnref(MemorySegment c) {
        call(CONTEXT_UNREF, c.address());
    }

    static int contextState(MemorySegment c) {
        return (int) call(CONTEXT_GET_STATE, c.address());
    }

    static int contextErrno(MemorySegment c) {
        return (int) call(CONTEXT_ERRNO, c.address());
    }

    static MemorySegment getServerInfo(MemorySegment c, MemorySegment callback) {
        return pointer(call(CONTEXT_GET_SERVER_INFO, c.address(), callback.address(), 0));
    }

    static MemorySegment getSourceInfoList(MemorySegment c, MemorySegment callback) {
        return pointer(call(CONTEXT_GET_SOURCE_INFO_LIST, c.address(), callback.address(), 0));
    }

    static int operationState(MemorySegment o) {
        return (int) call(OPERATION_GET_STATE, o.address());
    }

    static void operationCancel(MemorySegment o) {
        call(OPERATION_CANCEL, o.address());
    }

    static void operationUnref(MemorySegment o) {
        call(OPERATION_UNREF, o.address());
    }

    /** Fill {@code map} with PulseAudio's default positions for {@code channels}, auxiliary ones beyond them. */
    static void channelMapInit(MemorySegment map, int channels) {
        if (call(CHANNEL_MAP_INIT_EXTEND, map.address(), channels, CHANNEL_MAP_DEFAULT) == 0) {
            throw new IllegalArgumentException("PulseAudio has no channel map for " + channels + " channels");
        }
    }

    static MemorySegment streamNew(MemorySegment c, MemorySegment name, MemorySegment spec, MemorySegment map) {
        return pointer(call(STREAM_NEW, c.address(), name.address(), spec.address(), map.address()));
    }

    static int streamConnectRecord(MemorySegment s, MemorySegment device, MemorySegment attr, int flags) {
        return (int) call(STREAM_CONNECT_RECORD, s.address(), device.address(), attr.address(), flags);
    }

    static int streamState(MemorySegment s) {
        return (int) call(STREAM_GET_STATE, s.address());
    }

    /** Return the bytes ready to read; -1 ({@code (size_t) -1}) if the stream is not ready. */
    static long readableSize(long s) {
        return call(STREAM_READABLE_SIZE, s);
    }

    /** Peek the next fragment: its address into the long at {@code data} (0 for a hole), its length at {@code length}. */
    static int peek(long s, long data, long length) {
        return (int) call(STREAM_PEEK, s, data, length);
    }

    static int drop(long s) {
        return (int) call(STREAM_DROP, s);
    }

    static int streamDisconnect(MemorySegment s) {
        return (int) call(STREAM_DISCONNECT, s.address());
    }

    static void streamUnref(MemorySegment s) {
        call(STREAM_UNREF, s.address());
    }

    static void setOverflowCallback(MemorySegment s, MemorySegment callback) {
        call(STREAM_SET_OVERFLOW_CALLBACK, s.address(), callback.address(), 0);
    }

    /** Return the fragment size the server granted, in bytes; 0 if unknown. */
    static int grantedFragmentBytes(MemorySegment s) {
        long attr = call(STREAM_GET_BUFFER_ATTR, s.address());
        return attr == 0 ? 0 : intAt(attr + BUFFER_ATTR_FRAGSIZE);
    }

    /** Return the name of the source the stream records from; null if unknown. */
    static String streamDeviceName(MemorySegment s) {
        return string(call(STREAM_GET_DEVICE_NAME, s.address()));
    }
}
