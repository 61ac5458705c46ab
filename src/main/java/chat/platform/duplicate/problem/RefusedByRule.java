package chat.platform.duplicate.problem;

/**
 * For integrators' own rules in the route files: {@code throwException} with this type and a
 * message refuses the request with {@code 422} and the message as the problem's detail.
 * <pre>
 * - throwException:
 *     id: refuse-read-message
 *     exceptionType: chat.platform.duplicate.problem.RefusedByRule
 *     message: A message the customer has read is not sent again.
 * </pre>
 */
public class RefusedByRule extends ApiProblem {

    public RefusedByRule(String message) {
        super(422, "Unprocessable Content", message);
    }
}
