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
 * <p>Pointers passed to callbacks are declared as 64-bit integers ({@code long}): on the LP64
 * platforms where libpulse exists they are passed exactly like pointers, and a callback then
 * creates no {@link MemorySegment} object. Native memory is read through {@link #ALL}, which
 * addresses every byte by its absolute address, so reading and copying allocate nothing either.
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

    /** void (*pa_stream_notify_cb_t)(pa_stream *s, void *userdata) */
    static final FunctionDescriptor STREAM_NOTIFY_CB = FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG);
    /** void (*pa_source_info_cb_t)(pa_context *c, const pa_source_info *i, int eol, void *userdata) */
    static final FunctionDescriptor SOURCE_INFO_CB = FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG);
    /** void (*pa_server_info_cb_t)(pa_context *c, const pa_server_info *i, void *userdata) */
    static final FunctionDescriptor SERVER_INFO_CB = FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG, JAVA_LONG);

    private static final Linker LINKER;
    private static final List<String> MISSING = new ArrayList<>();
    private static final SymbolLookup LOOKUP;
    private static final String UNLOADABLE;

    /** All of memory, addressed by absolute address; only ever read at addresses libpulse handed out. */
    static final MemorySegment ALL;

    static {
        Linker linker = null;
        SymbolLookup lookup = null;
        MemorySegment all = MemorySegment.NULL;
        String why = null;
        try {
            if (ADDRESS.byteSize() != 8) {
                why = "libpulse is only used on 64-bit platforms";
            } else {
                linker = Linker.nativeLinker();
                lookup = load();
                all = everything();
            }
        } catch (IllegalArgumentException e) { // what libraryLookup throws when dlopen fails
            why = LIBRARY + " could not be loaded (" + e.getMessage() + "); install PulseAudio's client library"
                    + " (Debian/Ubuntu: libpulse0, Fedora: pulseaudio-libs)";
        } catch (Throwable e) { // IllegalCallerException when native access is denied, UnsupportedOperationException, ...
            why = "libpulse cannot be called from Java here: " + e
                    + " (run with --enable-native-access=dev.streamer.source.pulse)";
        }
        LINKER = linker;
        LOOKUP = lookup;
        ALL = all;
        UNLOADABLE = why;
    }

    private static final MethodHandle GET_LIBRARY_VERSION = fn("pa_get_library_version", FunctionDescriptor.of(ADDRESS));
    private static final MethodHandle STRERROR = fn("pa_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static final MethodHandle MAINLOOP_NEW = fn("pa_mainloop_new", FunctionDescriptor.of(ADDRESS));
    private static final MethodHandle MAINLOOP_FREE = fn("pa_mainloop_free", FunctionDescriptor.ofVoid(ADDRESS));
    // The calls made for every fragment take pointers as addresses (long): no segment to check or keep
    // alive, work that the client compiler (the image runs no other) does not optimise away.
    private static final MethodHandle MAINLOOP_PREPARE = fn("pa_mainloop_prepare", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MAINLOOP_POLL = fn("pa_mainloop_poll", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle MAINLOOP_DISPATCH = fn("pa_mainloop_dispatch", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle MAINLOOP_WAKEUP = fn("pa_mainloop_wakeup", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle MAINLOOP_GET_API = fn("pa_mainloop_get_api", FunctionDescriptor.of(ADDRESS, ADDRESS));

    private static final MethodHandle CONTEXT_NEW = fn("pa_context_new", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle CONTEXT_CONNECT = fn("pa_context_connect",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle CONTEXT_DISCONNECT = fn("pa_context_disconnect", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle CONTEXT_UNREF = fn("pa_context_unref", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle CONTEXT_GET_STATE = fn("pa_context_get_state", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle CONTEXT_ERRNO = fn("pa_context_errno", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle CONTEXT_GET_SERVER_INFO = fn("pa_context_get_server_info",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle CONTEXT_GET_SOURCE_INFO_LIST = fn("pa_context_get_source_info_list",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));

    private static final MethodHandle OPERATION_GET_STATE = fn("pa_operation_get_state", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle OPERATION_CANCEL = fn("pa_operation_cancel", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle OPERATION_UNREF = fn("pa_operation_unref", FunctionDescriptor.ofVoid(ADDRESS));

    private static final MethodHandle CHANNEL_MAP_INIT_EXTEND = fn("pa_channel_map_init_extend",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));

    private static final MethodHandle STREAM_NEW = fn("pa_stream_new", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle STREAM_CONNECT_RECORD = fn("pa_stream_connect_record",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle STREAM_GET_STATE = fn("pa_stream_get_state", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle STREAM_READABLE_SIZE = fn("pa_stream_readable_size", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    private static final MethodHandle STREAM_PEEK = fn("pa_stream_peek", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle STREAM_DROP = fn("pa_stream_drop", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle STREAM_DISCONNECT = fn("pa_stream_disconnect", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle STREAM_UNREF = fn("pa_stream_unref", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle STREAM_SET_OVERFLOW_CALLBACK = fn("pa_stream_set_overflow_callback",
            FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle STREAM_GET_BUFFER_ATTR = fn("pa_stream_get_buffer_attr", FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle STREAM_GET_DEVICE_NAME = fn("pa_stream_get_device_name", FunctionDescriptor.of(ADDRESS, ADDRESS));

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
    private static MethodHandle fn(String name, FunctionDescriptor descriptor) {
        if (LOOKUP == null) {
            return null;
        }
        var symbol = LOOKUP.find(name);
        if (symbol.isEmpty()) {
            MISSING.add(name);
            return null;
        }
        try {
            return LINKER.downcallHandle(symbol.get(), descriptor);
        } catch (RuntimeException e) { // never fail the class's initialisation: report it as missing
            MISSING.add(name + " (" + e + ")");
            return null;
        }
    }

    /** Create a function pointer that calls {@code target}; it lives as long as {@code arena}. */
    @SuppressWarnings("restricted")
    static MemorySegment upcall(MethodHandle target, FunctionDescriptor descriptor, Arena arena) {
        return LINKER.upcallStub(target, descriptor, arena);
    }

    /** Read the NUL-terminated UTF-8 string at {@code address}; null for a null pointer. */
    static String string(long address) {
        return address == 0 ? null : ALL.getString(address);
    }

    static String string(MemorySegment pointer) {
        return string(pointer.address());
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

    // Every downcall below: invokeExact on a constant handle, nothing boxed, nothing allocated.

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
        try {
            return string((MemorySegment) GET_LIBRARY_VERSION.invokeExact());
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static String strerror(int error) {
        try {
            String text = string((MemorySegment) STRERROR.invokeExact(error));
            return text == null ? "error " + error : text;
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static MemorySegment mainloopNew() {
        try {
            return (MemorySegment) MAINLOOP_NEW.invokeExact();
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static void mainloopFree(MemorySegment m) {
        try {
            MAINLOOP_FREE.invokeExact(m);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /**
     * Run one iteration of the mainloop: wait at most {@code timeoutMicros} for the server or for
     * {@link #mainloopWakeup}, then run the callbacks of what arrived, on this thread.
     *
     * @return the number of events dispatched, or a negative value if the loop failed
     */
    static int mainloopIterate(long m, int timeoutMicros) {
        try {
            int r = (int) MAINLOOP_PREPARE.invokeExact(m, timeoutMicros);
            if (r < 0) {
                return r;
            }
            r = (int) MAINLOOP_POLL.invokeExact(m);
            if (r < 0) {
                return r;
            }
            return (int) MAINLOOP_DISPATCH.invokeExact(m);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** Make a poll of {@link #mainloopIterate} return at once; the one call that is safe from another thread. */
    static void mainloopWakeup(MemorySegment m) {
        try {
            MAINLOOP_WAKEUP.invokeExact(m);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static MemorySegment mainloopApi(MemorySegment m) {
        try {
            return (MemorySegment) MAINLOOP_GET_API.invokeExact(m);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static MemorySegment contextNew(MemorySegment api, MemorySegment name) {
        try {
            return (MemorySegment) CONTEXT_NEW.invokeExact(api, name);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static int contextConnect(MemorySegment c, MemorySegment server, int flags) {
        try {
            return (int) CONTEXT_CONNECT.invokeExact(c, server, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static void contextDisconnect(MemorySegment c) {
        try {
            CONTEXT_DISCONNECT.invokeExact(c);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static void contextUnref(MemorySegment c) {
        try {
            CONTEXT_UNREF.invokeExact(c);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static int contextState(MemorySegment c) {
        try {
            return (int) CONTEXT_GET_STATE.invokeExact(c);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static int contextErrno(MemorySegment c) {
        try {
            return (int) CONTEXT_ERRNO.invokeExact(c);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static MemorySegment getServerInfo(MemorySegment c, MemorySegment callback) {
        try {
            return (MemorySegment) CONTEXT_GET_SERVER_INFO.invokeExact(c, callback, MemorySegment.NULL);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static MemorySegment getSourceInfoList(MemorySegment c, MemorySegment callback) {
        try {
            return (MemorySegment) CONTEXT_GET_SOURCE_INFO_LIST.invokeExact(c, callback, MemorySegment.NULL);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static int operationState(MemorySegment o) {
        try {
            return (int) OPERATION_GET_STATE.invokeExact(o);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static void operationCancel(MemorySegment o) {
        try {
            OPERATION_CANCEL.invokeExact(o);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static void operationUnref(MemorySegment o) {
        try {
            OPERATION_UNREF.invokeExact(o);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** Fill {@code map} with PulseAudio's default positions for {@code channels}, auxiliary ones beyond them. */
    static void channelMapInit(MemorySegment map, int channels) {
        try {
            MemorySegment filled = (MemorySegment) CHANNEL_MAP_INIT_EXTEND.invokeExact(map, channels, CHANNEL_MAP_DEFAULT);
            if (filled.address() == 0) {
                throw new IllegalArgumentException("PulseAudio has no channel map for " + channels + " channels");
            }
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static MemorySegment streamNew(MemorySegment c, MemorySegment name, MemorySegment spec, MemorySegment map) {
        try {
            return (MemorySegment) STREAM_NEW.invokeExact(c, name, spec, map);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static int streamConnectRecord(MemorySegment s, MemorySegment device, MemorySegment attr, int flags) {
        try {
            return (int) STREAM_CONNECT_RECORD.invokeExact(s, device, attr, flags);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static int streamState(MemorySegment s) {
        try {
            return (int) STREAM_GET_STATE.invokeExact(s);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** Return the bytes ready to read; -1 ({@code (size_t) -1}) if the stream is not ready. */
    static long readableSize(long s) {
        try {
            return (long) STREAM_READABLE_SIZE.invokeExact(s);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** Peek the next fragment: its address into the long at {@code data} (0 for a hole), its length at {@code length}. */
    static int peek(long s, long data, long length) {
        try {
            return (int) STREAM_PEEK.invokeExact(s, data, length);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static int drop(long s) {
        try {
            return (int) STREAM_DROP.invokeExact(s);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static int streamDisconnect(MemorySegment s) {
        try {
            return (int) STREAM_DISCONNECT.invokeExact(s);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static void streamUnref(MemorySegment s) {
        try {
            STREAM_UNREF.invokeExact(s);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    static void setOverflowCallback(MemorySegment s, MemorySegment callback) {
        try {
            STREAM_SET_OVERFLOW_CALLBACK.invokeExact(s, callback, MemorySegment.NULL);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** Return the fragment size the server granted, in bytes; 0 if unknown. */
    static int grantedFragmentBytes(MemorySegment s) {
        try {
            MemorySegment attr = (MemorySegment) STREAM_GET_BUFFER_ATTR.invokeExact(s);
            return attr.address() == 0 ? 0 : intAt(attr.address() + BUFFER_ATTR_FRAGSIZE);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** Return the name of the source the stream records from; null if unknown. */
    static String streamDeviceName(MemorySegment s) {
        try {
            return string((MemorySegment) STREAM_GET_DEVICE_NAME.invokeExact(s));
        } catch (Throwable t) {
            throw failure(t);
        }
    }
}
