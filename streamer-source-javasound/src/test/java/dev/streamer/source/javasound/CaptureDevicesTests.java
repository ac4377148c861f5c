package dev.streamer.source.javasound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.api.spi.SourceException;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Mixer;
import org.junit.jupiter.api.Test;

/** Device selection, the default device and the device listing's words, without audio hardware. */
class CaptureDevicesTests {

    private static final int ANY = AudioSystem.NOT_SPECIFIED;
    private static final List<String> LINUX = List.of("default [default]", "PCH [plughw:0,0]", "PCH [plughw:0,2]",
            "USB Audio [plughw:1,0]");

    @Test
    void aUniquePartOfANameSelectsItIgnoringCase() throws SourceException {
        assertThat(CaptureDevices.select(LINUX, "plughw:1")).isEqualTo(3);
        assertThat(CaptureDevices.select(LINUX, "usb audio")).isEqualTo(3);
        assertThat(CaptureDevices.select(LINUX, "DEFAULT")).isZero();
    }

    @Test
    void anExactNameWinsOverNamesThatContainIt() throws SourceException {
        List<String> names = List.of("Mic [plughw:0,0]", "Mic");
        assertThat(CaptureDevices.select(names, "mic")).isEqualTo(1);
    }

    @Test
    void noMatchListsEveryCaptureDevice() {
        assertThatThrownBy(() -> CaptureDevices.select(LINUX, "plughw:9"))
                .isInstanceOf(SourceException.class)
                .hasMessage("No capture device matches \"plughw:9\". Capture devices: \"default [default]\", "
                        + "\"PCH [plughw:0,0]\", \"PCH [plughw:0,2]\", \"USB Audio [plughw:1,0]\".");
    }

    @Test
    void severalMatchesAreListedWithAHint() {
        assertThatThrownBy(() -> CaptureDevices.select(LINUX, "plughw:0"))
                .isInstanceOf(SourceException.class)
                .hasMessage("\"plughw:0\" matches 2 capture devices: \"PCH [plughw:0,0]\", \"PCH [plughw:0,2]\"."
                        + " Give a longer part of the name.");
    }

    /** Stands for a provider's own Mixer.Info subclass, which the JDK nests in the provider. */
    static final class FakeProvider {
        static final class Info extends Mixer.Info {
            Info(String name) {
                super(name, "vendor", "description", "1.0");
            }
        }
    }

    private static Mixer.Info info(String name) {
        return new Mixer.Info(name, "ALSA", "Direct Audio Device", "") {
        };
    }

    @Test
    void theDefaultIsTheFirstCaptureMixerUnlessThePropertyNamesAnother() {
        List<Mixer.Info> infos = new ArrayList<>(List.of(info("default [default]"), info("PCH [plughw:0,0]")));
        infos.add(new FakeProvider.Info("Other"));

        assertThat(CaptureDevices.defaultIndex(infos, "")).isZero();
        assertThat(CaptureDevices.defaultIndex(infos, "#PCH [plughw:0,0]")).isEqualTo(1);
        assertThat(CaptureDevices.defaultIndex(infos, FakeProvider.class.getName())).isEqualTo(2);
        assertThat(CaptureDevices.defaultIndex(infos, FakeProvider.class.getName() + "#Other")).isEqualTo(2);
        assertThat(CaptureDevices.defaultIndex(infos, "#No such mixer")).isZero();
        assertThat(CaptureDevices.defaultIndex(List.of(), "")).isEqualTo(-1);
    }

    @Test
    void theDefaultSpecComesFromTheSystemPropertyFirst() {
        String old = System.getProperty(CaptureDevices.DEFAULT_LINE_PROPERTY);
        try {
            System.setProperty(CaptureDevices.DEFAULT_LINE_PROPERTY, " #USB Audio [plughw:1,0] ");
            assertThat(CaptureDevices.defaultSpec()).isEqualTo("#USB Audio [plughw:1,0]");
        } finally {
            if (old == null) {
                System.clearProperty(CaptureDevices.DEFAULT_LINE_PROPERTY);
            } else {
                System.setProperty(CaptureDevices.DEFAULT_LINE_PROPERTY, old);
            }
        }
    }

    @Test
    void formatsAreDescribedInWordsWithChannelRanges() {
        List<AudioFormat> formats = new ArrayList<>();
        for (int ch = 1; ch <= 8; ch++) {
            formats.add(new AudioFormat(Encoding.PCM_SIGNED, ANY, 16, ch, 2 * ch, ANY, false));
            formats.add(new AudioFormat(Encoding.PCM_SIGNED, ANY, 24, ch, 4 * ch, ANY, false));
        }
        formats.add(new AudioFormat(Encoding.PCM_SIGNED, 48_000, 16, 1, 2, 48_000, false));
        formats.add(new AudioFormat(Encoding.PCM_SIGNED, 48_000, 16, 2, 4, 48_000, false));
        formats.add(new AudioFormat(Encoding.PCM_SIGNED, 48_000, 16, 6, 12, 48_000, false));
        formats.add(new AudioFormat(Encoding.PCM_UNSIGNED, 8_000, 8, 1, 1, 8_000, false));
        formats.add(new AudioFormat(Encoding.PCM_SIGNED, 44_100, 24, 2, 6, 44_100, true));
        formats.add(new AudioFormat(Encoding.PCM_FLOAT, 96_000, 32, ANY, ANY, 96_000, false));
        formats.add(new AudioFormat(Encoding.ULAW, 8_000, 8, 1, 1, 8_000, false));

        assertThat(CaptureDevices.formatsInWords(formats)).containsExactly(
                "any rate, s16le, 1-8 ch",
                "any rate, s24in32le, 1-8 ch",
                "48000 Hz, s16le, 1-2, 6 ch",
                "8000 Hz, u8, 1 ch",
                "44100 Hz, s24be, 2 ch",
                "96000 Hz, f32le, any ch");
    }

    @Test
    void theDescriptionJoinsVendorDescriptionAndVersion() {
        assertThat(CaptureDevices.description(new Mixer.Info("default [default]", "ALSA (http://www.alsa-project.org)",
                "Direct Audio Device: default, default, default", "") {
        })).isEqualTo("ALSA (http://www.alsa-project.org), Direct Audio Device: default, default, default");
        assertThat(CaptureDevices.description(info("x"))).isEqualTo("ALSA, Direct Audio Device");
    }
}
