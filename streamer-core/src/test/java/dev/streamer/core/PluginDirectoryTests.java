package dev.streamer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceProvider;
import dev.streamer.api.spi.Transport;
import dev.streamer.api.spi.TransportProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A plugin jar built here, dropped into a directory, is found and streams. */
class PluginDirectoryTests {
    @TempDir
    Path work;

    @Test
    void noJarsMeansTheBootLayer() throws Exception {
        assertThat(PluginDirectory.layer(List.of(work.resolve("missing"), work))).isSameAs(ModuleLayer.boot());
    }

    @Test
    @Timeout(120)
    void aDroppedInPluginJarIsFoundAndStreams() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        buildPluginJar(plugins.resolve("dropin.jar"));

        PluginRegistry registry = PluginRegistry.load(PluginDirectory.layer(List.of(plugins)));
        assertThat(registry.plugins()).extracting(PluginInfo::name).containsExactly("counter", "tally");
        PluginInfo source = registry.plugins().getFirst();
        assertThat(source.module()).isEqualTo("test.dropin");
        assertThat(source.version()).isEqualTo("1.2");
        assertThat(source.location()).endsWith("dropin.jar");

        SourceProvider<?> sources = registry.source("counter");
        TransportProvider<?> transports = registry.transport("tally");
        Source counting = PluginRegistry.newSource(sources, sources.defaultSettings(), PluginContext.system("test"));
        Transport tally = PluginRegistry.newTransport(transports, transports.defaultSettings(), PluginContext.system("test"));
        // the drop-in source delivers its 100 ms at once, before the link is up: a latency target above that keeps all of it
        EngineConfig config = new EngineConfig(PcmFormat.DEFAULT_WIRE, 64, 2000, 250, ReconnectPolicy.DEFAULT);
        Engine engine = Engine.builder(config, counting, tally).statusInterval(Duration.ofMillis(50)).build();
        engine.start();
        assertThat(engine.awaitTermination(Duration.ofSeconds(30))).as("the source ends after 4800 frames").isTrue();
        // the drop-in source counts 4800 frames; the drop-in transport received all of them
        assertThat(engine.status().bytesSent()).isEqualTo(4800L * PcmFormat.DEFAULT_WIRE.frameSize());
        assertThat(engine.state()).isEqualTo(StreamState.STOPPED);
    }

    @Test
    void aBrokenJarIsNamed() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("broken"));
        Files.writeString(plugins.resolve("garbage.jar"), "not a zip");
        assertThatThrownBy(() -> PluginDirectory.layer(List.of(plugins)))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining(plugins.toString())
                .hasMessageContaining("garbage.jar");
    }

    /** Compile a two-provider plugin module against streamer-api, as a plugin author would. */
    private void buildPluginJar(Path jar) throws IOException, InterruptedException {
        Path src = work.resolve("src");
        Path pkg = Files.createDirectories(src.resolve("test/dropin"));
        Files.writeString(src.resolve("module-info.java"), """
                module test.dropin {
                    requires dev.streamer.api;
                    provides dev.streamer.api.spi.SourceProvider with test.dropin.CounterProvider;
                    provides dev.streamer.api.spi.TransportProvider with test.dropin.TallyProvider;
                    opens test.dropin;
                }
                """);
        Files.writeString(pkg.resolve("CounterProvider.java"), """
                package test.dropin;
                import dev.streamer.api.*;
                import dev.streamer.api.spi.*;
                import java.util.List;
                public final class CounterProvider implements SourceProvider<CounterProvider.Settings> {
                    public record Settings(int frames) {}
                    public String name() { return "counter"; }
                    public String description() { return "counts frames"; }
                    public Class<Settings> settingsType() { return Settings.class; }
                    public Settings defaultSettings() { return new Settings(4800); }
                    public List<DeviceInfo> devices() { return List.of(); }
                    public Source create(Settings s, PluginContext c) {
                        return new Source() {
                            int left = s.frames(); int frame; PcmFormat format;
                            public PcmFormat open(PcmFormat preferred, int period) { format = preferred; return preferred; }
                            public int read(byte[] b, int off, int len) {
                                int frames = Math.min(left, len / format.frameSize());
                                if (frames == 0) return -1;
                                for (int i = 0; i < frames * format.frameSize(); i++) b[off + i] = (byte) (frame + i);
                                left -= frames; frame += frames;
                                return frames * format.frameSize();
                            }
                            public String describe() { return "counter"; }
                            public void close() { left = 0; }
                        };
                    }
                }
                """);
        Files.writeString(pkg.resolve("TallyProvider.java"), """
                package test.dropin;
                import dev.streamer.api.PcmFormat;
                import dev.streamer.api.spi.*;
                import java.nio.ByteBuffer;
                import java.util.List;
                public final class TallyProvider implements TransportProvider<TallyProvider.Settings> {
                    public record Settings() {}
                    public String name() { return "tally"; }
                    public String description() { return "counts bytes"; }
                    public Class<Settings> settingsType() { return Settings.class; }
                    public Settings defaultSettings() { return new Settings(); }
                    public Transport create(Settings s, PluginContext c) {
                        return new Transport() {
                            public String target() { return "tally://"; }
                            public Link open(PcmFormat f) {
                                return new Link() {
                                    public void write(ByteBuffer chunk) { chunk.position(chunk.limit()); }
                                    public String peer() { return "tally"; }
                                    public List<String> appliedOptions() { return List.of(); }
                                    public void close() {}
                                };
                            }
                            public void close() {}
                        };
                    }
                }
                """);
        Path api = Path.of(SourceProvider.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path classes = work.resolve("classes");
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        List<String> sources;
        try (var files = Files.walk(src)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        run(List.of(bin.resolve("javac").toString(), "--module-path", api.toString(), "-d", classes.toString()), sources);
        run(List.of(bin.resolve("jar").toString(), "--create", "--file", jar.toString(), "--module-version", "1.2",
                "-C", classes.toString(), "."), List.of());
    }

    private static void run(List<String> command, List<String> more) throws IOException, InterruptedException {
        List<String> all = new java.util.ArrayList<>(command);
        all.addAll(more);
        Process process = new ProcessBuilder(all).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
