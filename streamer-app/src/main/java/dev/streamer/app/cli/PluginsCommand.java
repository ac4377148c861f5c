package dev.streamer.app.cli;

import dev.streamer.core.PluginInfo;
import dev.streamer.core.PluginRegistry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code streamer plugins}: the sources and transports found, and where they came from. */
@Command(name = "plugins", mixinStandardHelpOptions = true, description = "List the source and transport plugins found.")
final class PluginsCommand implements Callable<Integer> {
    @ParentCommand
    StreamerCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PluginRegistry registry = root.plugins();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-10s %-10s %-34s %-16s %s%n", "KIND", "NAME", "MODULE", "VERSION", "DESCRIPTION");
        for (PluginInfo plugin : registry.plugins()) {
            out.printf("%-10s %-10s %-34s %-16s %s%n", plugin.kind().label(), plugin.name(), plugin.module(),
                    plugin.version().isEmpty() ? "-" : plugin.version(), plugin.description());
            if (!plugin.location().isEmpty()) {
                out.printf("%-10s %-10s from %s%n", "", "", plugin.location());
            }
        }
        out.flush();
        return 0;
    }
}
