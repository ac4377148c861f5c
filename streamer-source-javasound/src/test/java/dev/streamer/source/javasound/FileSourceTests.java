package dev.streamer.source.javasound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.SourceException;
import dev.streamer.api.spi.SourceProvider;
import dev.streamer.testkit.Allocation;
import dev.streamer.testkit.FakeClock;
import dev.streamer.testkit.RecordingLogger;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code file} source against files written by Java Sound in the test: exact bytes, loop, pacing, errors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FileSourceTests {
    private static final long MS = 1_000_000L;
    private static final long START = 987_654_321L;

    @TempDir
    Path dir;

    private final RecordingLogger logger = new RecordingLogger();
    private final FakeClock clock = new FakeClock(START);

    /** Pseudo-random PCM: every byte counts, no two frames alike. */
    static byte[] noise(long seed, int bytes) {
        byte[] pcm = new byte[bytes];
        new SplittableRandom(seed).nextBytes(pcm);
        return pcm;
    }

    /** Write {@code pcm} in {@code format} as a file of {@code type}. */
    Path write(String name, AudioFileFormat.Type type, AudioFormat format, byte[] pcm) throws IOException {
        Path file = dir.resolve(name);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, pcm.length / format.getFrameSize())) {
            AudioSystem.write(in, type, file.toFile());
        }
        return file;
    }

    private FileSource source(Path file, boolean loop, boolean realTime) {
        return new FileSource(new FileSettings(file.toString(), loop, realTime), new PluginContext(logger, clock), clock);
    }

    /** Read until the end (or {@code limit} bytes), {@code periodFrames} at a time. */
    static byte[] readAll(FileSource source, PcmFormat format, int periodFrames, int limit) throws SourceException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[format.bytes(periodFrames)];
        while (out.size() < limit) {
            int n = source.read(buffer, 0, Math.min(buffer.length, limit - out.size()));
            if (n < 0) {
                break;
            }
            assertThat(n % format.frameSize()).as("whole frames").isZero();
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0} {1} Hz {2} bit {3} ch {4}")
    @CsvSource({
        "WAVE, 48000, 16, 2, PCM_SIGNED, false",
        "WAVE, 44100, 24, 2, PCM_SIGNED, false",
        "WAVE, 48000, 32, 1, PCM_SIGNED, false",
        "WAVE, 22050,  8, 1, PCM_UNSIGNED, false",
        "WAVE, 96000, 32, 2, PCM_FLOAT, false",
        "AIFF, 44100, 16, 2, PCM_SIGNED, true",
        "AIFF, 48000, 24, 1, PCM_SIGNED, true",
        "AU,   48000, 16, 2, PCM_SIGNED, true",
        "AU,    8000,  8, 1, PCM_SIGNED, true",
    })
    void aFileIsReadBackExactlyInItsOwnFormat(String type, int rate, int bits, int channels, String encoding, boolean bigEndian)
            throws Exception {
        AudioFormat format = new AudioFormat(new AudioFormat.Encoding(encoding), rate, bits, channels,
                bits / 8 * channels, rate, bigEndian);
        byte[] pcm = encoding.equals("PCM_FLOAT") ? floats(rate / 2 * channels, bigEndian) : noise(rate, rate / 2 * format.getFrameSize());
        AudioFileFormat.Type fileType = switch (type) {
            case "WAVE" -> AudioFileFormat.Type.WAVE;
            case "AIFF" -> AudioFileFormat.Type.AIFF;
            default -> AudioFileFormat.Type.AU;
        };
        Path file = write("sound." + fileType.getExtension(), fileType, format, pcm);

        try (FileSource source = source(file, false, false)) {
            PcmFormat opened = source.open(PcmFormat.DEFAULT_WIRE, 240);
            SampleEncoding expectedEncoding = switch (encoding) {
                case "PCM_SIGNED" -> SampleEncoding.SIGNED;
                case "PCM_UNSIGNED" -> SampleEncoding.UNSIGNED;
                default -> SampleEncoding.FLOAT;
            };
            assertThat(opened).isEqualTo(new PcmFormat(rate, channels, bits, bits / 8, expectedEncoding, bits > 8 && bigEndian));
            assertThat(readAll(source, opened, 240, Integer.MAX_VALUE)).as("the file's samples").isEqualTo(pcm);
            assertThat(source.read(new byte[opened.bytes(240)], 0, opened.bytes(240))).as("after the end").isEqualTo(-1);
        }
    }

    /** Float samples within -1..1 (a float WAV with arbitrary bits would hold NaNs). */
    private static byte[] floats(int samples, boolean bigEndian) {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(samples * 4)
                .order(bigEndian ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < samples; i++) {
            out.putFloat((float) random.nextDouble(-1, 1));
        }
        return out.array();
    }

    @Test
    void aMuLawFileIsDecodedTo16BitPcm() throws Exception {
        AudioFormat pcmFormat = new AudioFormat(8_000, 16, 1, true, true);
        byte[] pcm = noise(1, 8_000 * 2);
        Path file = dir.resolve("speech.au");
        try (AudioInputStream linear = new AudioInputStream(new ByteArrayInputStream(pcm), pcmFormat, 8_000);
             AudioInputStream ulaw = AudioSystem.getAudioInputStream(AudioFormat.Encoding.ULAW, linear)) {
            AudioSystem.write(ulaw, AudioFileFormat.Type.AU, file.toFile());
        }
        byte[] expected;
        try (AudioInputStream decoded = AudioSystem.getAudioInputStream(AudioFormat.Encoding.PCM_SIGNED,
                AudioSystem.getAudioInputStream(file.toFile()))) {
            expected = decoded.readAllBytes();
        }

        try (FileSource source = source(file, false, false)) {
            PcmFormat opened = source.open(PcmFormat.DEFAULT_WIRE, 80);
            assertThat(opened).isEqualTo(new PcmFormat(8_000, 1, 16, 2, SampleEncoding.SIGNED, true));
            assertThat(readAll(source, opened, 80, Integer.MAX_VALUE)).hasSize(16_000).isEqualTo(expected);
        }
    }

    @Test
    void aLoopedFileStartsAgainWithoutAGap() throws Exception {
        AudioFormat format = new AudioFormat(48_000, 16, 2, true, false);
        byte[] pcm = noise(7, 100 * 4); // 100 frames
        Path file = write("short.wav", AudioFileFormat.Type.WAVE, format, pcm);

        try (FileSource source = source(file, true, false)) {
            PcmFormat opened = source.open(PcmFormat.DEFAULT_WIRE, 64);
            byte[] played = readAll(source, opened, 64, 350 * 4);
            assertThat(played).hasSize(350 * 4);
            for (int pass = 0; pass < 3; pass++) {
                assertThat(java.util.Arrays.copyOfRange(played, pass * 400, pass * 400 + 400)).as("pass %d", pass).isEqualTo(pcm);
            }
            assertThat(java.util.Arrays.copyOfRange(played, 1200, 1400)).isEqualTo(java.util.Arrays.copyOf(pcm, 200));
        }
    }

    @Test
    void aLoopedEmptyFileEndsInsteadOfSpinning() throws Exception {
        Path file = write("empty.wav", AudioFileFormat.Type.WAVE, new AudioFormat(48_000, 16, 2, true, false), new byte[0]);
        try (FileSource source = source(file, true, false)) {
            source.open(PcmFormat.DEFAULT_WIRE, 240);
            assertThat(source.read(new byte[960], 0, 960)).isEqualTo(-1);
        }
    }

    @Test
    void inRealTimeEveryReadReturnsWhenItsLastFrameIsDueAndTheEndComesOnTime() throws Exception {
        AudioFormat format = new AudioFormat(48_000, 16, 2, true, false);
        byte[] pcm = noise(9, 48_000 * 4); // 1 s
        Path file = write("second.wav", AudioFileFormat.Type.WAVE, format, pcm);

        try (FileSource source = source(file, false, true)) {
            PcmFormat opened = source.open(PcmFormat.DEFAULT_WIRE, 240);
            byte[] buffer = new byte[opened.bytes(240)];
            for (int k = 1; k <= 200; k++) {
                assertThat(source.read(buffer, 0, buffer.length)).isEqualTo(960);
                // read 50 returns at 250 ms, then the reader is 11 ms late: reads 51 and 52 are due already
                long expected = k == 51 || k == 52 ? 261 * MS : k * 5 * MS;
                assertThat(clock.getAsLong() - START).as("after read %d", k).isEqualTo(expected);
                if (k == 50) {
                    clock.advance(11 * MS);
                }
            }
            assertThat(source.read(buffer, 0, buffer.length)).isEqualTo(-1);
            assertThat(clock.getAsLong() - START).as("one second of audio took one second").isEqualTo(1_000 * MS);
        }
    }

    @Test
    void closeFromAnotherThreadEndsAWaitingRead() throws Exception {
        Path file = write("long.wav", AudioFileFormat.Type.WAVE, new AudioFormat(48_000, 16, 2, true, false), noise(2, 288_000 * 4));
        try (FileSource source = new FileSource(new FileSettings(file.toString(), false, true), new PluginContext(logger, System::nanoTime))) {
            PcmFormat opened = source.open(PcmFormat.DEFAULT_WIRE, 240_000); // five-second reads
            byte[] buffer = new byte[opened.bytes(240_000)];
            CompletableFuture<Integer> read = new CompletableFuture<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    read.complete(source.read(buffer, 0, buffer.length));
                } catch (Throwable e) {
                    read.completeExceptionally(e);
                }
            });
            while (reader.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
            long closing = System.nanoTime();
            source.close();
            assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
            assertThat(System.nanoTime() - closing).as("from close to the read's return (generous: loaded CI machines)")
                    .isLessThan(2_000 * MS);
            assertThat(source.read(buffer, 0, buffer.length)).isEqualTo(-1);
            source.close();
            assertThat(source.describe()).endsWith("(closed)");
        }
    }

    @Test
    void openingLogsTheFileAndItsFormat() throws Exception {
        Path file = write("tone.aiff", AudioFileFormat.Type.AIFF, new AudioFormat(44_100, 16, 1, true, true), noise(4, 44_100 * 2));
        try (FileSource source = source(file, true, true)) {
            source.open(PcmFormat.DEFAULT_WIRE, 240);
            String expected = "file: " + file + " (44100 Hz s16be mono, 1.0 s, looped)";
            assertThat(source.describe()).isEqualTo(expected);
            assertThat(logger.at(Level.INFO)).containsExactly("file: playing " + file
                    + " (44100 Hz s16be mono, 1.0 s, looped); the engine converts it to 48000 Hz s16le stereo");
        }
    }

    @Test
    void aMissingPathOrFileSaysWhatIsWrongAndWhatIsSupported() throws Exception {
        String supported = "WAV (.wav), AIFF (.aif, .aiff), AU (.au, .snd) with PCM, µ-law or A-law samples";
        assertThatThrownBy(() -> openPath("")).isInstanceOf(SourceException.class)
                .hasMessage("file: no file to play; name one with --set source.path=FILE (" + supported + ")");
        Path missing = dir.resolve("missing.wav");
        assertThatThrownBy(() -> openPath(missing.toString())).isInstanceOf(SourceException.class)
                .hasMessage("file: " + missing + " does not exist");
        assertThatThrownBy(() -> openPath(dir.toString())).isInstanceOf(SourceException.class)
                .hasMessage("file: " + dir + " is a directory; name an audio file (" + supported + ")");
        Path text = Files.writeString(dir.resolve("notes.mp3"), "not audio at all, just some text to be sure");
        assertThatThrownBy(() -> openPath(text.toString())).isInstanceOf(SourceException.class)
                .hasMessage("file: " + text + " is not an audio file streamer can play; supported: " + supported);
    }

    @Test
    void anUnreadableFileIsNamed() throws Exception {
        Path file = write("secret.wav", AudioFileFormat.Type.WAVE, new AudioFormat(48_000, 16, 2, true, false), noise(5, 400));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(Files.isReadable(file), "running as root: every file is readable");
        assertThatThrownBy(() -> openPath(file.toString())).isInstanceOf(SourceException.class)
                .hasMessage("file: " + file + " is not readable (check its permissions)");
    }

    private void openPath(String path) throws SourceException {
        try (FileSource source = new FileSource(new FileSettings(path, false, true), new PluginContext(logger, clock), clock)) {
            source.open(PcmFormat.DEFAULT_WIRE, 240);
        }
    }

    @Test
    void settingsRejectANullPathAndSurroundingSpaces() {
        assertThat(FileSettings.DEFAULTS).isEqualTo(new FileSettings("", false, true));
        assertThatThrownBy(() -> new FileSettings(null, false, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path is required: the audio file to play (WAV, AIFF or AU), e.g. --set source.path=/music/track.wav");
        assertThatThrownBy(() -> new FileSettings("a.wav ", false, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path \"a.wav \" has leading or trailing spaces; write the path without them");
    }

    @Test
    void theProviderIsFoundByServiceLoaderNextToJavaSound() {
        getClass().getModule().addUses(SourceProvider.class);
        var names = ServiceLoader.load(SourceProvider.class).stream().map(ServiceLoader.Provider::get).map(SourceProvider::name).toList();
        assertThat(names).contains("javasound", "file");
        FileSourceProvider provider = new FileSourceProvider();
        assertThat(provider.settingsType()).isEqualTo(FileSettings.class);
        assertThat(provider.defaultSettings()).isEqualTo(FileSettings.DEFAULTS);
        assertThat(provider.devices()).singleElement().satisfies(d -> assertThat(d.formats().getFirst()).contains("WAV", "AIFF", "AU"));
        try (var source = provider.create(new FileSettings("x.wav", false, true), PluginContext.system("test"))) {
            assertThat(source.describe()).isEqualTo("file: x.wav");
        }
    }

    @Test
    void readingAllocatesNothing() throws Exception {
        Path file = write("ten.wav", AudioFileFormat.Type.WAVE, new AudioFormat(48_000, 16, 2, true, false), noise(6, 480_000 * 4));
        try (FileSource source = source(file, false, true)) {
            PcmFormat opened = source.open(PcmFormat.DEFAULT_WIRE, 240);
            byte[] buffer = new byte[opened.bytes(240)];
            for (int i = 0; i < 500; i++) { // warm up: class loading
                source.read(buffer, 0, buffer.length);
            }
            long bytes = 0;
            long before = Allocation.currentThread();
            for (int i = 0; i < 1_500; i++) {
                bytes += source.read(buffer, 0, buffer.length);
            }
            long allocated = Allocation.currentThread() - before;
            assertThat(bytes).isEqualTo(1_500 * 960);
            assertThat(allocated).as("bytes allocated by 1500 reads").isLessThan(10_000);
        }
    }
}
