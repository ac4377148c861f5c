package dev.streamer.app.cli;

import dev.streamer.api.DeviceInfo;
import dev.streamer.api.spi.SourceProvider;
import dev.streamer.app.config.ConfigException;
import dev.streamer.app.config.StreamSetup;
import dev.streamer.core.PluginException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code streamer devices}: what a source plugin can capture from. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "List the capture devices of a source plugin.")
final class DevicesCommand implements Callable<Integer> {
    @ParentCommand
    StreamerCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--source", paramLabel = "PLUGIN",
            description = "Source plugin (default: the first installed of pulse, javasound).")
    String source;

    @Override
    public Integer call() throws Exception {
        root.configureLogging(System.err);
        SourceProvider<?> provider;
        try {
            provider = root.plugins().source(source != null ? source : StreamSetup.defaultSource(root.plugins()));
        } catch (PluginException e) {
            throw new ConfigException("--source: " + e.getMessage());
        }
        List<DeviceInfo> devices = provider.devices();
        PrintWriter out = spec.commandLine().getOut();
        if (devices.isEmpty()) {
            out.println("No capture devices found by source '" + provider.name() + "'.");
            out.flush();
            return StreamerCommand.RUNTIME_FAILURE;
        }
        for (DeviceInfo device : devices) {
            out.println((device.isDefault() ? "* " : "  ") + device.name());
            if (!device.description().isBlank()) {
                out.println("      " + device.description());
            }
            for (String format : device.formats()) {
                out.println("      " + format);
            }
        }
        boolean selectable = java.util.Arrays.stream(provider.settingsType().getRecordComponents())
                .anyMatch(component -> component.getName().equals("device"));
        if (selectable) {
            out.println();
            out.println("* = default. Pick one with: streamer stream --device \"NAME\" (a unique part of the name is enough)");
        }
        out.flush();
        return 0;
    }
}
