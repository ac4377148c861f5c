package dev.streamer.api;

import java.util.List;

/**
 * A capture device a source plugin can open.
 *
 * @param name the name users pass to select it ({@code --device}); matching is by substring
 * @param description what the driver says about it
 * @param formats what it can deliver, in words (e.g. {@code any rate, s16le, 1-2 channels});
 *     drivers often leave the rate or channel count open, which a {@link PcmFormat} cannot say
 * @param isDefault whether the plugin opens it when no device is named
 */
public record DeviceInfo(String name, String description, List<String> formats, boolean isDefault) {
    public DeviceInfo {
        formats = List.copyOf(formats);
    }
}
