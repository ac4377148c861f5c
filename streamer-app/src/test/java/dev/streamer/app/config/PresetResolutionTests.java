package dev.streamer.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.core.EngineConfig;
import dev.streamer.core.NetworkPreset;
import dev.streamer.core.PluginRegistry;
import dev.streamer.core.SilencePolicy;
import dev.streamer.core.ThreadPriority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Network presets and the precedence built-in defaults < preset < profile < flags. */
class PresetResolutionTests {
    private static PluginRegistry plugins;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadPlugins() throws Exception {
        plugins = PluginRegistry.load(ModuleLayer.boot());
    }

    private Optional<ConfigFile> file(String profileBody) throws IOException, ConfigException {
        Path path = dir.resolve("config.json");
        Files.writeString(path, "{\"defaultProfile\": \"p\", \"profiles\": {\"p\": " + profileBody + "}}");
        return Optional.of(ConfigFile.read(path));
    }

    private static Overrides flags(String preset, Integer chunk, List<String> sets, String silence, String priority) {
        return new Overrides(null, null, null, null, null, null, null, null, null, chunk, sets, preset, silence, priority);
    }

    private static EngineConfig engine(Optional<ConfigFile> file, Overrides flags) throws Exception {
        return StreamSetup.resolve(file, flags, plugins).engine();
    }

    @Test
    void withoutAPresetTheBuiltInDefaultsAreEthernet() throws Exception {
        EngineConfig engine = engine(Optional.empty(), Overrides.NONE);
        assertThat(engine.preset()).isEqualTo(NetworkPreset.ETHERNET);
        assertThat(engine.ringMillis()).isEqualTo(2000);
        assertThat(engine.chunkFrames()).isEqualTo(512);
        assertThat(engine.adaptive().minMillis()).isEqualTo(2000);
        assertThat(engine.adaptive().maxMillis()).isEqualTo(6000);
        assertThat(engine.adaptive().jitterBandMillis()).isEqualTo(5);
        assertThat(engine.adaptive().stableAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(engine.latencyTargetMillis()).isEqualTo(60);
        assertThat(engine.silence()).isEqualTo(SilencePolicy.DEFAULT);
        assertThat(engine.heartbeat()).isEqualTo(Duration.ofSeconds(30));
        assertThat(engine.threadPriority()).isEqualTo(ThreadPriority.NORMAL);
        assertThat(engine).isEqualTo(EngineConfig.DEFAULT);
    }

    @ParameterizedTest
    @CsvSource({
        "ethernet,  2000, 512,  2000, 6000,  60",
        "wifi,      4000, 1024, 3000, 10000, 150",
        "wifi-poor, 8000, 2048, 5000, 15000, 300",
        "custom,    2000, 512,  2000, 6000,  60"
    })
    void eachPresetSetsItsNumbers(String name, int ring, int chunk, int min, int max, int latency) throws Exception {
        EngineConfig engine = engine(Optional.empty(), flags(name, null, List.of(), null, null));
        assertThat(engine.preset().label()).isEqualTo(name);
        assertThat(List.of(engine.ringMillis(), engine.chunkFrames(), engine.adaptive().minMillis(), engine.adaptive().maxMillis(),
                engine.latencyTargetMillis())).containsExactly(ring, chunk, min, max, latency);
    }

    @Test
    void presetThenProfileThenFlags() throws Exception {
        Optional<ConfigFile> config = file("""
                {"preset": "wifi", "chunkFrames": 512, "latencyTargetMillis": 200, "silence": "pause", "silenceSeconds": 20}
                """);
        EngineConfig fromProfile = engine(config, Overrides.NONE);
        assertThat(fromProfile.preset()).isEqualTo(NetworkPreset.WIFI);
        assertThat(fromProfile.ringMillis()).as("from the preset").isEqualTo(4000);
        assertThat(fromProfile.adaptive().maxMillis()).as("from the preset").isEqualTo(10_000);
        assertThat(fromProfile.chunkFrames()).as("the profile over the preset").isEqualTo(512);
        assertThat(fromProfile.latencyTargetMillis()).isEqualTo(200);
        assertThat(fromProfile.silence()).isEqualTo(new SilencePolicy(SilencePolicy.Mode.PAUSE, Duration.ofSeconds(20), -60));

        EngineConfig withFlags = engine(config, flags("wifi-poor", 1024,
                List.of("engine.latencyTargetMillis=180", "engine.adaptiveStableSeconds=5", "engine.silenceThresholdDbfs=-50.5"),
                "send", "high"));
        assertThat(withFlags.preset()).as("--preset over the profile's preset").isEqualTo(NetworkPreset.WIFI_POOR);
        assertThat(withFlags.ringMillis()).as("from the flag's preset").isEqualTo(8000);
        assertThat(withFlags.chunkFrames()).as("--chunk over the profile").isEqualTo(1024);
        assertThat(withFlags.latencyTargetMillis()).as("--set engine over the profile").isEqualTo(180);
        assertThat(withFlags.adaptive().stableAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(withFlags.silence()).isEqualTo(new SilencePolicy(SilencePolicy.Mode.SEND, Duration.ofSeconds(20), -50.5));
        assertThat(withFlags.threadPriority()).isEqualTo(ThreadPriority.HIGH);
    }

    @Test
    void everyEngineFieldCanBeSetInTheProfile() throws Exception {
        EngineConfig engine = engine(file("""
                {"preset": "custom", "chunkFrames": 256, "ringMillis": 3000, "latencyTargetMillis": 40,
                 "adaptiveMinMillis": 1000, "adaptiveMaxMillis": 9000, "adaptiveJitterMillis": 8.5, "adaptiveStableSeconds": 45,
                 "silence": "pause", "silenceSeconds": 3, "silenceThresholdDbfs": -70,
                 "heartbeatSeconds": 10, "threadPriority": "high"}
                """), Overrides.NONE);
        assertThat(engine.preset()).isEqualTo(NetworkPreset.CUSTOM);
        assertThat(engine.chunkFrames()).isEqualTo(256);
        assertThat(engine.ringMillis()).isEqualTo(3000);
        assertThat(engine.latencyTargetMillis()).isEqualTo(40);
        assertThat(engine.adaptive().minMillis()).isEqualTo(1000);
        assertThat(engine.adaptive().maxMillis()).isEqualTo(9000);
        assertThat(engine.adaptive().jitterBandMillis()).isEqualTo(8.5);
        assertThat(engine.adaptive().stableAfter()).isEqualTo(Duration.ofSeconds(45));
        assertThat(engine.silence()).isEqualTo(new SilencePolicy(SilencePolicy.Mode.PAUSE, Duration.ofSeconds(3), -70));
        assertThat(engine.heartbeat()).isEqualTo(Duration.ofSeconds(10));
        assertThat(engine.threadPriority()).isEqualTo(ThreadPriority.HIGH);
    }

    @Test
    void badValuesNameWhereTheyCameFrom() throws Exception {
        assertThatThrownBy(() -> engine(Optional.empty(), flags("wify", null, List.of(), null, null)))
                .hasMessageContaining("--preset: unknown preset 'wify' (did you mean 'wifi'?); presets: ethernet, wifi, wifi-poor, custom");
        assertThatThrownBy(() -> engine(file("{\"preset\": 3}"), Overrides.NONE))
                .hasMessageContaining("$.profiles.p.preset: expected a preset name, found");
        assertThatThrownBy(() -> engine(file("{\"silence\": \"mute\"}"), Overrides.NONE))
                .hasMessageContaining("$.profiles.p.silence: 'mute' is not valid; valid: send, pause");
        assertThatThrownBy(() -> engine(Optional.empty(), flags(null, null, List.of(), null, "realtime")))
                .hasMessageContaining("--thread-priority: 'realtime' is not valid; valid: normal, high");
        assertThatThrownBy(() -> engine(Optional.empty(), flags(null, null, List.of("engine.latencyTargetMilis=100"), null, null)))
                .hasMessageContaining("--set engine.latencyTargetMilis: unknown engine setting 'latencyTargetMilis' (did you mean 'latencyTargetMillis'?)");
        assertThatThrownBy(() -> engine(Optional.empty(), flags(null, null, List.of("engine.heartbeatSeconds=often"), null, null)))
                .hasMessageContaining("--set engine.heartbeatSeconds: expected a whole number, found \"often\"");
        assertThatThrownBy(() -> engine(file("{\"adaptiveJitterMillis\": \"x\"}"), Overrides.NONE))
                .hasMessageContaining("$.profiles.p.adaptiveJitterMillis: expected a number");
    }

    @Test
    void aValueThatDoesNotFitThePresetSaysWhichValuesAreInEffectAndWhereFrom() throws Exception {
        assertThatThrownBy(() -> engine(file("{\"ringMillis\": 10000}"), Overrides.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("$.profiles.p: ring of 10000 ms is outside the adaptive range 2000..6000 ms")
                .hasMessageContaining("ringMillis 10000 (")
                .hasMessageContaining("adaptiveMaxMillis 6000 (preset ethernet)");
        assertThatThrownBy(() -> engine(Optional.empty(), flags(null, 4096, List.of(), null, null)))
                .hasMessageContaining("--chunk: latency target 60 ms is less than two chunks of 85.3 ms")
                .hasMessageContaining("latencyTargetMillis 60 (preset ethernet)");
        // the same chunk fits the poor-WiFi preset's 300 ms target
        assertThat(engine(Optional.empty(), flags("wifi-poor", 4096, List.of(), null, null)).chunkFrames()).isEqualTo(4096);
    }
}
