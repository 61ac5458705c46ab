package chat.platform.duplicate.routefiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A folder laid out as kubelet lays out a ConfigMap volume, and updated as its atomic writer
 * updates it (kubernetes pkg/volume/util/atomic_writer.go): the data lives in a timestamped
 * folder {@code ..<timestamp>/}, {@code ..data} is a link to it, and each visible file is a link
 * {@code key -> ..data/key}. An update writes a new timestamped folder, links {@code ..data_tmp}
 * to it, renames {@code ..data_tmp} over {@code ..data} (one atomic rename), adds links for new
 * keys, removes those of keys that are gone and deletes the old folder. The visible links
 * themselves are never rewritten.
 */
final class ConfigMapFolder {

    private final Path mount;
    private Path current;
    private int updates;

    private ConfigMapFolder(Path mount) {
        this.mount = mount;
    }

    static ConfigMapFolder create(Path mount, Map<String, String> files) throws IOException {
        Files.createDirectories(mount);
        ConfigMapFolder folder = new ConfigMapFolder(mount);
        folder.update(files);
        return folder;
    }

    Path mount() {
        return mount;
    }

    /** The ConfigMap now holds exactly {@code files} (key, content). */
    void update(Map<String, String> files) throws IOException {
        Path next = mount.resolve("..2026_01_0" + (updates % 9 + 1) + "_12_00_00." + (100000 + updates++));
        Files.createDirectory(next);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(next.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
        Path tmp = mount.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, next.getFileName());
        Files.move(tmp, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE); // rename(2) over the old link
        for (String key : files.keySet()) {
            Path visible = mount.resolve(key);
            if (!Files.isSymbolicLink(visible)) {
                Files.createSymbolicLink(visible, Path.of("..data", key));
            }
        }
        try (Stream<Path> entries = Files.list(mount)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.startsWith("..") && !files.containsKey(name)) {
                    Files.delete(entry);
                }
            }
        }
        if (current != null) {
            deleteRecursively(current);
        }
        current = next;
    }

    /** Writes a file in place through its link (into the current timestamped folder): no event in the mount folder. */
    void editInPlace(String key, String content) throws IOException {
        Files.writeString(mount.resolve(key), content, StandardCharsets.UTF_8);
    }

    private static void deleteRecursively(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
