package dev.streamer.app.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a configuration file so that it is either the old file or the whole new one, never half
 * of it, even after a crash or a full disk: the new content goes to a temporary file in the same
 * directory, is flushed to the disk, and then renamed over the old file. The old file is first
 * copied to {@code NAME.bak} (one backup, replaced each time).
 */
public final class ConfigWriter {
    private ConfigWriter() {
    }

    /** Return where the backup of {@code file} goes. */
    public static Path backup(Path file) {
        return file.resolveSibling(file.getFileName() + ".bak");
    }

    /** Replace {@code file} with {@code text}; directories missing on the way are created readable by the user only. */
    public static void write(Path file, String text) throws ConfigException {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        Path temporary = null;
        try {
            createPrivateDirectories(directory);
            // createTempFile makes it 0600 on POSIX: nobody else reads a half-written file
            temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            if (Files.exists(target)) {
                keepPermissions(target, temporary);
                Files.copy(target, backup(target), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temporary = null;
            syncDirectory(directory);
        } catch (IOException e) {
            String reason = e instanceof AccessDeniedException denied ? "permission denied: " + denied.getFile() : e.getMessage();
            throw new ConfigException(file + ": cannot write the configuration file (" + reason + "); it is unchanged");
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // best effort: the message above already says what failed
                }
            }
        }
    }

    private static void createPrivateDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        createPrivateDirectories(directory.getParent());
        try {
            if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(directory);
            }
        } catch (FileAlreadyExistsException raced) {
            // another process made it meanwhile: fine
        }
    }

    /** A file the user made readable by others (or not) stays so after a rewrite. */
    private static void keepPermissions(Path target, Path temporary) throws IOException {
        PosixFileAttributeView old = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        if (old != null) {
            Files.setPosixFilePermissions(temporary, old.readAttributes().permissions());
        }
    }

    /** Make the rename itself durable; not every system can open a directory, and then the rename is as durable as it gets. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // e.g. Windows: nothing more to do
        }
    }
}
