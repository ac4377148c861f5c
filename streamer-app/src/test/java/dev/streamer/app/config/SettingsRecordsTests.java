package dev.streamer.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

/** A settings record goes to JSON and back unchanged, and every wrong value names its field and what it should be. */
class SettingsRecordsTests {

    /** Every component type a plugin's settings may use. */
    record Sample(String host, int port, long bytes, double gain, boolean enabled, List<String> allow) {
        Sample {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 1..65535");
            }
            allow = List.copyOf(allow);
        }
    }

    record Unsupported(float gain) {
    }

    private static final Sample SAMPLE = new Sample("snap", 4953, 5_000_000_000L, 0.5, true, List.of("10.0.0.0/8", "::1"));

    @Test
    void aRecordBecomesAnObjectWithOneFieldPerComponentInOrder() {
        ObjectNode tree = SettingsRecords.toTree(SAMPLE);

        assertThat(tree.toString()).isEqualTo(
                "{\"host\":\"snap\",\"port\":4953,\"bytes\":5000000000,\"gain\":0.5,\"enabled\":true,\"allow\":[\"10.0.0.0/8\",\"::1\"]}");
    }

    @Test
    void theObjectBindsBackToAnEqualRecord() throws ConfigException {
        assertThat(fromTree(SettingsRecords.toTree(SAMPLE))).isEqualTo(SAMPLE);
    }

    @Test
    void anIntegralDoubleIsANumberAndAnIntegerIsADouble() throws ConfigException {
        ObjectNode tree = SettingsRecords.toTree(SAMPLE).put("gain", 2);

        assertThat(fromTree(tree).gain()).isEqualTo(2.0);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            host    | 5            | here.host: expected a string, found the number 5
            port    | "4953"       | here.port: expected a whole number from -2147483648 to 2147483647, found the string "4953"
            port    | 4953.5       | here.port: expected a whole number from -2147483648 to 2147483647, found the number 4953.5
            port    | 3000000000   | here.port: expected a whole number from -2147483648 to 2147483647, found the number 3000000000
            bytes   | true         | here.bytes: expected a whole number from -9223372036854775808 to 9223372036854775807, found true
            gain    | "loud"       | here.gain: expected a number, found the string "loud"
            enabled | "yes"        | here.enabled: expected true or false, found the string "yes"
            enabled | null         | here.enabled: expected true or false, found null
            allow   | "::1"        | here.allow: expected an array of strings, found the string "::1"
            allow   | ["::1", 7]   | here.allow[1]: expected a string, found the number 7
            port    | 70000        | here: port 70000 is outside 1..65535
            """)
    void aWrongValueNamesTheFieldWhatWasFoundAndWhatIsValid(String field, String json, String message) {
        ObjectNode tree = SettingsRecords.toTree(SAMPLE);
        tree.set(field, Json.MAPPER.readTree(json));

        assertThatThrownBy(() -> fromTree(tree))
                .isInstanceOf(ConfigException.class).hasMessage(message);
    }

    /** Bind a whole section as the binder binds a file's section over the defaults. */
    private static Sample fromTree(ObjectNode tree) throws ConfigException {
        Map<String, Object> values = new LinkedHashMap<>();
        SettingsRecords.putFromJson(values, tree, Sample.class, "here");
        return SettingsRecords.fromValues(values, Sample.class, "here");
    }

    @Test
    void aComponentTypeOutsideThePluginContractIsTheAuthorsMistakeNotTheUsers() {
        assertThatThrownBy(() -> SettingsRecords.toTree(new Unsupported(1f)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Unsupported.gain is a float; settings may be String, int, long, double, boolean or List<String>");
    }
}
