package dev.streamer.app.config;

import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the application, strict about unknown fields and trailing garbage. */
public final class Json {
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** Indented JSON as people write it: {@code "name": value}, {@code []} and {@code {}} when empty. */
    private static final ObjectWriter PRETTY = MAPPER.writer().with(new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectNameValueSpacing(Separators.Spacing.AFTER).withObjectEmptySeparator("").withArrayEmptySeparator("")));

    private Json() {
    }

    /** Return {@code node} as indented JSON, without a final newline. */
    public static String pretty(JsonNode node) {
        return PRETTY.writeValueAsString(node);
    }

    /** Describe a node for an error message: {@code the string "abc"}, {@code a number 3.5}, {@code an array}. */
    static String kind(JsonNode node) {
        if (node.isString()) {
            return "the string \"" + node.asString() + "\"";
        }
        if (node.isNumber()) {
            return "the number " + node.asString();
        }
        if (node.isBoolean()) {
            return node.asString();
        }
        if (node.isNull()) {
            return "null";
        }
        return node.isArray() ? "an array" : "an object";
    }
}
