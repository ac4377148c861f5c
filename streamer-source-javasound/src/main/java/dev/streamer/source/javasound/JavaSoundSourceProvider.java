package dev.streamer.source.javasound;

import dev.streamer.api.DeviceInfo;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import dev.streamer.api.spi.SourceProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sound.sampled.Mixer;

/** Provides the {@code javasound} source: capture from a Java Sound input mixer. */
public final class JavaSoundSourceProvider implements SourceProvider<JavaSoundSettings> {

    /** Found by {@link java.util.ServiceLoader}; opens nothing. */
    public JavaSoundSourceProvider() {
    }

    @Override
    public String name() {
        return "javasound";
    }

    @Override
    public String description() {
        return "Capture from a Java Sound input device (ALSA on Linux, DirectSound on Windows, Core Audio on macOS)";
    }

    @Override
    public Class<JavaSoundSettings> settingsType() {
        return JavaSoundSettings.class;
    }

    @Override
    public JavaSoundSettings defaultSettings() {
        return JavaSoundSettings.DEFAULTS;
    }

    /** List the mixers that can capture, the one Java Sound uses by default first. */
    @Override
    public List<DeviceInfo> devices() throws SourceException {
        List<CaptureDevices.Capture> captures = CaptureDevices.list();
        List<Mixer.Info> infos = captures.stream().map(CaptureDevices.Capture::info).toList();
        int defaultIndex = CaptureDevices.defaultIndex(infos, CaptureDevices.defaultSpec());
        List<DeviceInfo> devices = new ArrayList<>();
        for (int i = 0; i < captures.size(); i++) {
            CaptureDevices.Capture capture = captures.get(i);
            DeviceInfo device = new DeviceInfo(capture.name(), CaptureDevices.description(capture.info()),
                    CaptureDevices.formatsInWords(capture.formats()), i == defaultIndex);
            if (i == defaultIndex) {
                devices.addFirst(device);
            } else {
                devices.add(device);
            }
        }
        return devices;
    }

    @Override
    public Source create(JavaSoundSettings settings, PluginContext context) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(context, "context");
        return new JavaSoundSource(settings, context);
    }
}
