package dev.streamer.source.javasound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;
import dev.streamer.api.spi.SourceException;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

/** Format choice against device format lists like those real drivers report. */
class FormatNegotiationTests {

    private static final int ANY = AudioSystem.NOT_SPECIFIED;
    private static final PcmFormat WIRE = PcmFormat.DEFAULT_WIRE;

    private static AudioFormat signed(float rate, int bits, int channels, int frameSize, boolean bigEndian) {
        return new AudioFormat(Encoding.PCM_SIGNED, rate, bits, channels, frameSize, rate, bigEndian);
    }

    private static PcmFormat best(PcmFormat preferred, AudioFormat... formats) throws SourceException {
        return FormatNegotiation.candidates(preferred, List.of(formats), "test device").getFirst();
    }

    @Test
    void thePreferredFormatWinsWhenTheDeviceHasIt() throws SourceException {
        assertThat(best(WIRE, signed(ANY, 24, 2, 6, false), signed(ANY, 16, 2, 4, true), signed(ANY, 16, 2, 4, false)))
                .isEqualTo(WIRE);
        assertThat(best(WIRE, signed(48_000, 16, 2, 4, false))).isEqualTo(WIRE);
    }

    @Test
    void aSixteenBitOnlyDeviceIsUsedAsIs() throws SourceException {
        PcmFormat wire24 = PcmFormat.wire(48_000, 24, 2);

        assertThat(best(wire24, signed(48_000, 16, 2, 4, false))).isEqualTo(WIRE);
    }

    @Test
    void aMonoOnlyDeviceDeliversMonoForTheEngineToUpmix() throws SourceException {
        assertThat(best(WIRE, signed(ANY, 16, 1, 2, false), signed(ANY, 24, 1, 3, false)))
                .isEqualTo(PcmFormat.wire(48_000, 16, 1));
    }

    @Test
    void theSameChannelCountBeatsABetterSampleFormat() throws SourceException {
        assertThat(best(WIRE, signed(ANY, 16, 1, 2, false), signed(ANY, 32, 2, 8, false)))
                .isEqualTo(new PcmFormat(48_000, 2, 32, 4, SampleEncoding.SIGNED, false));
    }

    @Test
    void moreChannelsArePreferredToFewerAtTheSameDistance() throws SourceException {
        assertThat(best(WIRE, signed(ANY, 16, 1, 2, false), signed(ANY, 16, 3, 6, false)).channels()).isEqualTo(3);
    }

    @Test
    void signedIntegersOfAtLeastTheWireDepthComeFirstThenFloatThenNarrowerThenUnsigned() throws SourceException {
        AudioFormat u16 = new AudioFormat(Encoding.PCM_UNSIGNED, ANY, 16, 2, 4, ANY, false);
        AudioFormat s8 = signed(ANY, 8, 2, 2, false);
        AudioFormat f32 = new AudioFormat(Encoding.PCM_FLOAT, ANY, 32, 2, 8, ANY, false);
        AudioFormat s32 = signed(ANY, 32, 2, 8, false);
        AudioFormat s24 = signed(ANY, 24, 2, 6, false);
        AudioFormat ulaw = new AudioFormat(Encoding.ULAW, ANY, 8, 2, 2, ANY, false);

        List<PcmFormat> order = FormatNegotiation.candidates(WIRE, List.of(ulaw, u16, s8, f32, s32, s24), "d");

        assertThat(order).extracting(PcmFormat::toString).containsExactly(
                "48000 Hz s24le stereo", "48000 Hz s32le stereo", "48000 Hz f32le stereo",
                "48000 Hz s8 stereo", "48000 Hz u16le stereo");
    }

    @Test
    void littleEndianAndThePreferredContainerBreakTies() throws SourceException {
        PcmFormat wire24 = PcmFormat.wire(48_000, 24, 2); // 24 bits in 4 bytes, like Snapcast
        AudioFormat packedBe = signed(ANY, 24, 2, 6, true);
        AudioFormat packedLe = signed(ANY, 24, 2, 6, false);
        AudioFormat paddedLe = signed(ANY, 24, 2, 8, false);

        assertThat(best(wire24, packedBe, packedLe, paddedLe)).isEqualTo(wire24);
        assertThat(best(wire24, packedBe, packedLe))
                .isEqualTo(new PcmFormat(48_000, 2, 24, 3, SampleEncoding.SIGNED, false));
    }

    @Test
    void unspecifiedFieldsTakeThePreferredValues() throws SourceException {
        assertThat(best(WIRE, new AudioFormat(Encoding.PCM_SIGNED, ANY, ANY, ANY, ANY, ANY, false))).isEqualTo(WIRE);
        assertThat(best(PcmFormat.wire(44_100, 16, 1), signed(ANY, 16, ANY, ANY, false)))
                .isEqualTo(PcmFormat.wire(44_100, 16, 1));
    }

    @Test
    void anotherRateIsNeverOfferedAndTheErrorListsTheRatesTheDeviceHas() {
        assertThatThrownBy(() -> best(WIRE, signed(44_100, 16, 2, 4, false), signed(96_000, 24, 2, 6, false),
                signed(44_100, 16, 1, 2, false)))
                .isInstanceOf(SourceException.class)
                .hasMessage("Capture device \"test device\" cannot capture at 48000 Hz; it supports 44100 Hz, 96000 Hz."
                        + " Set the stream's sample rate to one of these (streamer does not resample).");
    }

    @Test
    void aDeviceWithoutPcmSaysSo() {
        assertThatThrownBy(() -> best(WIRE, new AudioFormat(Encoding.ULAW, 8_000, 8, 1, 1, 8_000, false)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("offers no PCM format")
                .hasMessageContaining("ULAW");
    }

    @Test
    void conversionsBetweenJavaSoundAndStreamerKeepTheContainer() {
        PcmFormat padded = PcmFormat.wire(48_000, 24, 2);
        AudioFormat audio = FormatNegotiation.toAudioFormat(padded);

        assertThat(audio.getSampleSizeInBits()).isEqualTo(24);
        assertThat(audio.getFrameSize()).isEqualTo(8);
        assertThat(FormatNegotiation.toPcmFormat(audio)).isEqualTo(padded);
        PcmFormat u8 = new PcmFormat(22_050, 1, 8, 1, SampleEncoding.UNSIGNED, false);
        assertThat(FormatNegotiation.toPcmFormat(FormatNegotiation.toAudioFormat(u8))).isEqualTo(u8);
        PcmFormat f32 = new PcmFormat(48_000, 2, 32, 4, SampleEncoding.FLOAT, false);
        assertThat(FormatNegotiation.toAudioFormat(f32).getEncoding()).isEqualTo(Encoding.PCM_FLOAT);
    }
}
