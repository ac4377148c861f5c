package dev.streamer.app.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts a plugin's settings record to and from its JSON section, component by component.
 *
 * <p>Settings records hold only {@code String}, {@code int}, {@code long}, {@code double},
 * {@code boolean} and {@code List<String>} (the plugin guide in {@code dev.streamer.source.signal}).
 * For so little, Jackson's data binding cost about 100 ms of every start (its introspection of each
 * record on first use), a third of the launch-to-first-byte budget; this costs well under one.
 */
final class SettingsRecords {
    private SettingsRecords() {
    }

    /**
     * Return the components of {@code settings} by name, in declaration order, as plain Java values.
     * Binding works on these, not on JSON nodes: the first JSON value node initialises Jackson's
     * {@code ValueNode}, whose constants initialise {@code BigDecimal}, 24-30 ms of every start
     * (BENCHMARKS.md).
     */
    static Map<String, Object> values(Record settings) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent component : settings.getClass().getRecordComponents()) {
            Object value = invoke(component, settings);
            // an if chain, not a pattern switch: that one's bootstrap spins classes at every start
            if (!(value instanceof String || value instanceof Integer || value instanceof Long || value instanceof Double
                    || value instanceof Boolean || value instanceof List<?>)) {
                throw unsupported(component);
            }
            values.put(component.getName(), value);
        }
        return values;
    }

    /** Return {@code settings} as a JSON object with one field per component, in declaration order. */
    static ObjectNode toTree(Record settings) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        values(settings).forEach((name, value) -> tree.set(name, toNode(value)));
        return tree;
    }

    /** Return a settings value (one of {@link #values}'s types) as JSON. */
    static JsonNode toNode(Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value instanceof String s) {
            return nodes.stringNode(s);
        } else if (value instanceof Integer i) {
            return nodes.numberNode(i);
        } else if (value instanceof Long l) {
            return nodes.numberNode(l);
        } else if (value instanceof Double d) {
            return nodes.numberNode(d);
        } else if (value instanceof Boolean b) {
            return nodes.booleanNode(b);
        } else if (value instanceof List<?> list) {
            ArrayNode array = nodes.arrayNode();
            list.forEach(item -> array.add(String.valueOf(item)));
            return array;
        }
        throw new IllegalArgumentException("not a settings value: " + value);
    }

    /**
     * Put the fields of a file's {@code section} into {@code values}, each converted to its
     * component's type, in component order (the first wrong one is reported); fields {@code type}
     * lacks are the caller's to reject.
     *
     * @param where names the section for messages, e.g. {@code config.json: $.profiles.home.transport}
     * @throws ConfigException if a value has the wrong JSON type
     */
    static void putFromJson(Map<String, Object> values, ObjectNode section, Class<? extends Record> type, String where)
            throws ConfigException {
        for (RecordComponent component : type.getRecordComponents()) {
            JsonNode node = section.get(component.getName());
            if (node != null) {
                values.put(component.getName(), fromJson(component, node, where + "." + component.getName()));
            }
        }
    }

    /**
     * Build a {@code type} from {@code values}, one per component, each already of the component's
     * type ({@link #values}, {@link #putFromJson}, {@link SettingsBinder#typed}).
     *
     * @throws ConfigException if the record's constructor rejects a value
     */
    static <R extends Record> R fromValues(Map<String, Object> byName, Class<R> type, String where) throws ConfigException {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = byName.get(components[i].getName());
        }
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException rejected) {
                throw new ConfigException(where + ": " + rejected.getMessage());
            }
            throw new IllegalStateException(type.getName() + " failed to build from " + byName, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName() + "; is its package open to dev.streamer.app?", e);
        }
    }

    /** Convert a file's JSON value for {@code component}, or say what is wrong with it. */
    private static Object fromJson(RecordComponent component, JsonNode node, String where) throws ConfigException {
        Class<?> type = component.getType();
        if (type == String.class) {
            if (node.isString()) {
                return node.asString();
            }
            throw new ConfigException(where + ": expected a string, found " + Json.kind(node));
        }
        if (type == int.class || type == long.class) {
            long min = type == int.class ? Integer.MIN_VALUE : Long.MIN_VALUE;
            long max = type == int.class ? Integer.MAX_VALUE : Long.MAX_VALUE;
            if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < min || node.asLong() > max) {
                throw new ConfigException(where + ": expected a whole number from " + min + " to " + max + ", found " + Json.kind(node));
            }
            return type == int.class ? (Object) (int) node.asLong() : (Object) node.asLong();
        }
        if (type == double.class) {
            if (node.isNumber()) {
                return node.asDouble();
            }
            throw new ConfigException(where + ": expected a number, found " + Json.kind(node));
        }
        if (type == boolean.class) {
            if (node.isBoolean()) {
                return node.asBoolean();
            }
            throw new ConfigException(where + ": expected true or false, found " + Json.kind(node));
        }
        if (type == List.class && isListOfStrings(component.getGenericType())) {
            if (!node.isArray()) {
                throw new ConfigException(where + ": expected an array of strings, found " + Json.kind(node));
            }
            List<String> items = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                if (!item.isString()) {
                    throw new ConfigException(where + "[" + i + "]: expected a string, found " + Json.kind(item));
                }
                items.add(item.asString());
            }
            return List.copyOf(items);
        }
        throw unsupported(component);
    }

    private static boolean isListOfStrings(Type type) {
        return type instanceof ParameterizedType list && list.getActualTypeArguments()[0] == String.class;
    }

    private static Object invoke(RecordComponent component, Record settings) {
        try {
            return component.getAccessor().invoke(settings);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component + "; is its package open to dev.streamer.app?", e);
        }
    }

    private static IllegalStateException unsupported(RecordComponent component) {
        return new IllegalStateException(component.getDeclaringRecord().getName() + "." + component.getName() + " is a "
                + component.getGenericType().getTypeName() + "; settings may be String, int, long, double, boolean or List<String>");
    }
}
