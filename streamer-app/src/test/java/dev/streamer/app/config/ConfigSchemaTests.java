package dev.streamer.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.streamer.api.spi.PluginProvider;
import dev.streamer.app.cli.StreamerCommand;
import dev.streamer.core.PluginInfo;
import dev.streamer.core.PluginKind;
import dev.streamer.core.PluginRegistry;
import dev.streamer.core.SilencePolicy;
import dev.streamer.core.ThreadPriority;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * docs/config.schema.json, the app and the README agree: the schema lists exactly the fields,
 * presets and plugin settings the app knows, and every configuration example in README.md passes
 * both the schema and {@code streamer config validate}, so neither can go stale unnoticed.
 */
class ConfigSchemaTests {
    private static final Path PROJECT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    /** A fenced block of README.md marked {@code json} is a configuration file; other JSON is marked otherwise. */
    private static final Pattern JSON_BLOCK = Pattern.compile("(?m)^```json\\n(.*?)^```$", Pattern.DOTALL);

    private static JsonNode schemaTree;
    private static Schema schema;
    private static PluginRegistry plugins;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        schemaTree = Json.MAPPER.readTree(Files.readString(PROJECT.resolve("docs").resolve("config.schema.json")));
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaTree);
        plugins = PluginRegistry.load(ModuleLayer.boot());
    }

    private static Set<String> properties(String pointer) {
        return new TreeSet<>(schemaTree.at(pointer).path("properties").propertyNames());
    }

    private static Set<Object> enumOf(String pointer) {
        return new TreeSet<>(StreamSupport.stream(schemaTree.at(pointer).path("enum").spliterator(), false)
                .map(node -> node.isNumber() ? (Object) node.asInt() : node.asString()).map(String::valueOf).toList());
    }

    private static Set<Object> strings(List<?> values) {
        return new TreeSet<>(values.stream().map(String::valueOf).toList());
    }

    private static List<String> schemaErrors(JsonNode config) {
        return schema.validate(config).stream().map(Error::toString).toList();
    }

    private List<String> appErrors(String text) throws Exception {
        Path file = dir.resolve("example.json");
        Files.writeString(file, text);
        try {
            return StreamSetup.check(ConfigFile.read(file), plugins);
        } catch (ConfigException e) {
            return List.of(e.getMessage());
        }
    }

    @Test
    void theSchemaHasTheFieldsPresetsAndRangesOfTheApp() {
        assertThat(properties("")).isEqualTo(new TreeSet<>(ConfigFile.TOP_LEVEL_FIELDS));
        assertThat(properties("/$defs/profile")).isEqualTo(new TreeSet<>(StreamSetup.PROFILE_FIELDS));
        assertThat(properties("/$defs/profile/properties/format")).isEqualTo(new TreeSet<>(StreamSetup.FORMAT_FIELDS));
        assertThat(enumOf("/$defs/profile/properties/format/properties/rate")).isEqualTo(strings(StreamSetup.RATES));
        assertThat(enumOf("/$defs/profile/properties/preset")).isEqualTo(strings(EngineSettings.presetNames()));
        assertThat(enumOf("/$defs/profile/properties/silence"))
                .isEqualTo(strings(Arrays.stream(SilencePolicy.Mode.values()).map(SilencePolicy.Mode::label).toList()));
        assertThat(enumOf("/$defs/profile/properties/threadPriority"))
                .isEqualTo(strings(Arrays.stream(ThreadPriority.values()).map(ThreadPriority::label).toList()));
        assertThat(schemaTree.at("/$defs/profile/properties/chunkFrames/minimum").asInt()).isEqualTo(32);
        assertThat(schemaTree.at("/$defs/profile/properties/chunkFrames/maximum").asInt()).isEqualTo(16384);
    }

    @Test
    void theSchemaDescribesEveryBuiltInPluginsSettings() throws Exception {
        List<String> described = new ArrayList<>();
        for (PluginInfo info : plugins.plugins()) {
            PluginProvider<?> provider = info.kind() == PluginKind.SOURCE ? plugins.source(info.name()) : plugins.transport(info.name());
            Set<String> expected = new TreeSet<>(Json.MAPPER.valueToTree(provider.defaultSettings()).propertyNames());
            expected.add("plugin");
            assertThat(properties("/$defs/" + info.name())).as("settings of %s", info.name()).isEqualTo(expected);
            String section = info.kind() == PluginKind.SOURCE ? "source" : "transport";
            assertThat(schemaTree.at("/$defs/" + section + "/allOf").toString()).as("%s applies $defs/%s", section, info.name())
                    .contains("\"$ref\":\"#/$defs/" + info.name() + "\"");
            described.add(info.name());
        }
        assertThat(described).contains("pulse", "javasound", "file", "signal", "stdin", "tcp");
    }

    @Test
    void everyConfigurationExampleOfTheReadmeIsValid() throws Exception {
        Matcher block = JSON_BLOCK.matcher(Files.readString(PROJECT.resolve("README.md")));
        int examples = 0;
        while (block.find()) {
            String example = block.group(1);
            assertThat(schemaErrors(Json.MAPPER.readTree(example))).as("schema errors in README example:%n%s", example).isEmpty();
            assertThat(appErrors(example)).as("config validate of README example:%n%s", example).isEmpty();
            examples++;
        }
        assertThat(examples).as("configuration examples in README.md").isPositive();
    }

    @Test
    void theReadmeListsEveryEnvironmentVariable() throws Exception {
        String readme = Files.readString(PROJECT.resolve("README.md"));
        assertThat(Environment.FLAGS.keySet()).allSatisfy(variable -> assertThat(readme).contains("`" + variable + "`"));
    }

    @Test
    void whatConfigInitWritesAndConfigShowPrintsPassTheSchema() throws Exception {
        Path file = dir.resolve("config.json");
        assertThat(run("config", "init", "--config", file.toString())).isEmpty();
        assertThat(schemaErrors(Json.MAPPER.readTree(Files.readString(file)))).isEmpty();

        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        assertThat(StreamerCommand.execute(new String[] {"config", "show", "--config", file.toString()},
                new PrintStream(shown, true, StandardCharsets.UTF_8), System.err, Map.of())).isZero();
        JsonNode profile = Json.MAPPER.readTree(shown.toString(StandardCharsets.UTF_8));
        assertThat(schemaErrors(Json.MAPPER.readTree("{\"profiles\": {\"shown\": " + profile + "}}"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"profiles\": {\"a\": {\"transport\": {\"port\": 70000}}}}",
        "{\"profiles\": {\"a\": {\"transport\": {\"hots\": \"x\"}}}}",
        "{\"profiles\": {\"a\": {\"source\": {\"bufferMillis\": 5}}}}",
        "{\"profiles\": {\"a\": {\"format\": {\"rate\": 12345}}}}",
        "{\"profiles\": {\"a\": {\"preset\": \"wify\"}}}",
        "{\"profiles\": {\"a\": {\"chunkFrames\": 8}}}",
        "{\"profiles\": {\"a\": {\"silence\": \"mute\"}}}",
        "{\"profiles\": {\"a\": {\"source\": {\"plugin\": \"stdin\", \"bits\": 12}}}}",
        "{\"profile\": {}}"
    })
    void whatTheAppRefusesTheSchemaRefusesToo(String config) throws Exception {
        assertThat(appErrors(config)).isNotEmpty();
        assertThat(schemaErrors(Json.MAPPER.readTree(config))).isNotEmpty();
    }

    private static String run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = StreamerCommand.execute(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return code == 0 ? "" : code + ": " + err.toString(StandardCharsets.UTF_8);
    }
}
