package chat.platform.duplicate.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** An RFC 9457 problem: the one shape of every non-2xx reply of the service. */
public record Problem(int status, String title, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Problem of(ApiProblem problem) {
        return new Problem(problem.status(), problem.title(), problem.detail());
    }

    /** RFC 9457 {@code about:blank}: the status says what kind of problem it is, as in Spring's own replies. */
    public String type() {
        return "about:blank";
    }

    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", type());
        node.put("title", title);
        node.put("status", status);
        node.put("detail", detail);
        return node.toString();
    }
}
