package chat.platform.duplicate.problem;

/**
 * A caller-facing failure: becomes an RFC 9457 {@code application/problem+json} reply with
 * this status, title and detail. Thrown by the route's beans; rendered by {@link ProblemResponses}.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;

    public ApiProblem(int status, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "Unauthorized", detail);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Bad Request", detail);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not Found", detail);
    }

    public static ApiProblem unprocessable(String detail) {
        return new ApiProblem(422, "Unprocessable Content", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }
}
