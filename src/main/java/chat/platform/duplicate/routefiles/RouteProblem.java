package chat.platform.duplicate.routefiles;

/**
 * One thing wrong in one route file, printed as {@code <file>:<line>: <what>} (the form editors
 * and CI logs link to). {@code line} is 1-based; a problem of the file as a whole is on line 1.
 */
public record RouteProblem(String file, int line, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
