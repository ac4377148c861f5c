package dev.streamer.it;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** snapserver's JSON-RPC over HTTP (loopback only): the shared peer's, or that of one a test starts on its own port. */
final class Snapserver {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int TIMEOUT_MILLIS = 3000;
    private static final AtomicInteger IDS = new AtomicInteger();

    private Snapserver() {
    }

    /** Call {@code method} of the shared snapserver and return its {@code result}; an error answer or no answer throws. */
    static JsonNode call(String method, JsonNode params) {
        return call(Peers.SNAP_HTTP_PORT, method, params);
    }

    /** Call {@code method} of the snapserver whose HTTP port is {@code httpPort}. */
    static JsonNode call(int httpPort, String method, JsonNode params) {
        ObjectNode request = JSON.createObjectNode();
        request.put("id", IDS.incrementAndGet());
        request.put("jsonrpc", "2.0");
        request.put("method", method);
        if (params != null) {
            request.set("params", params);
        }
        String body = post(httpPort, request.toString(), method);
        JsonNode answer = JSON.readTree(body);
        if (answer.has("error")) {
            throw new IllegalStateException(method + ": " + answer.get("error"));
        }
        return answer.get("result");
    }

    /**
     * One HTTP/1.0 request per connection. Not java.net.http: snapserver 0.26 answers a POST with
     * its response and then a second, empty "200 OK" on the same connection, which desynchronises
     * any client that reuses the connection (requests then time out).
     */
    private static String post(int httpPort, String json, String method) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /jsonrpc HTTP/1.0\r\nHost: 127.0.0.1:" + httpPort + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            String status = line(in);
            if (!status.matches("HTTP/1\\.[01] 200 .*")) {
                throw new IllegalStateException(method + ": " + status);
            }
            int length = -1;
            for (String header; !(header = line(in)).isEmpty(); ) {
                if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring("content-length:".length()).strip());
                }
            }
            if (length < 0) {
                throw new IllegalStateException(method + ": no Content-Length in the answer");
            }
            byte[] answer = new byte[length];
            in.readFully(answer);
            return new String(answer, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " to http://127.0.0.1:" + httpPort + "/jsonrpc failed: " + e, e);
        }
    }

    private static String line(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("the answer ended early");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    static JsonNode serverStatus() {
        return call("Server.GetStatus", null).path("server");
    }

    /** Return {@code idle} or {@code playing} of the stream {@code id}; throws if the stream does not exist. */
    static String streamStatus(String id) {
        return streamStatus(Peers.SNAP_HTTP_PORT, id);
    }

    /** Like {@link #streamStatus(String)}, of the snapserver whose HTTP port is {@code httpPort}. */
    static String streamStatus(int httpPort, String id) {
        for (JsonNode stream : call(httpPort, "Server.GetStatus", null).path("server").path("streams")) {
            if (stream.path("id").asString().equals(id)) {
                return stream.path("status").asString();
            }
        }
        throw new IllegalStateException("snapserver on HTTP port " + httpPort + " has no stream '" + id + "'");
    }

    /** Return the client {@code id} and the group it is in, if snapserver knows it. */
    static Optional<ClientInGroup> client(String id) {
        for (JsonNode group : serverStatus().path("groups")) {
            for (JsonNode client : group.path("clients")) {
                if (client.path("id").asString().equals(id)) {
                    return Optional.of(new ClientInGroup(client, group));
                }
            }
        }
        return Optional.empty();
    }

    record ClientInGroup(JsonNode client, JsonNode group) {
        boolean connected() {
            return client.path("connected").asBoolean();
        }
    }

    /**
     * Make the client hear the stream at full volume: the server remembers volume and mute per
     * client and group across runs (and applies mute even with {@code --mixer none}).
     */
    static void unmute(ClientInGroup known, String streamId) {
        ObjectNode volume = JSON.createObjectNode();
        volume.put("id", known.client().path("id").asString());
        volume.putObject("volume").put("muted", false).put("percent", 100);
        call("Client.SetVolume", volume);
        String group = known.group().path("id").asString();
        ObjectNode mute = JSON.createObjectNode().put("id", group).put("mute", false);
        call("Group.SetMute", mute);
        if (!known.group().path("stream_id").asString().equals(streamId)) {
            call("Group.SetStream", JSON.createObjectNode().put("id", group).put("stream_id", streamId));
        }
    }
}
