package chat.platform.duplicate.routefiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The route files of a folder as the service reads them: every {@code *.camel.yaml} file in it
 * (not in sub-folders), links followed. In a Kubernetes ConfigMap volume each file is a link
 * {@code name -> ..data/name} and {@code ..data} a link to a {@code ..<timestamp>} folder; the
 * files are read through the links, so a file's content and hash are the key's, not its path's.
 */
public final class RouteFolder {

    public static final String SUFFIX = ".camel.yaml";

    /** One file: its name in the folder, the name printed in problems, its text and the SHA-256 of its bytes. */
    public record RouteFile(String name, String shownAs, String text, String sha256) {
    }

    private RouteFolder() {
    }

    /** The folder's route files, by name. A file that vanishes while it is read (a link being swapped) is left out. */
    public static List<RouteFile> read(Path folder) throws IOException {
        List<Path> paths;
        try (Stream<Path> entries = Files.list(folder)) {
            paths = entries.filter(path -> {
                String name = path.getFileName().toString();
                return name.endsWith(SUFFIX) && Files.isRegularFile(path);
            }).sorted().toList();
        }
        List<RouteFile> files = new ArrayList<>();
        for (Path path : paths) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(path);
            } catch (NoSuchFileException gone) {
                continue;
            }
            files.add(new RouteFile(path.getFileName().toString(), path.toString(), new String(bytes, StandardCharsets.UTF_8), sha256(bytes)));
        }
        return files;
    }

    /** Printed name to text, for {@link RouteCheck#check}. */
    public static Map<String, String> texts(List<RouteFile> files) {
        Map<String, String> texts = new LinkedHashMap<>();
        files.forEach(file -> texts.put(file.shownAs(), file.text()));
        return texts;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
