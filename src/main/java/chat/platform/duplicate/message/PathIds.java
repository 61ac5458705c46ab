package chat.platform.duplicate.message;

import chat.platform.duplicate.problem.ApiProblem;
import org.springframework.stereotype.Component;

/** Path ids of the Client API: positive integers that fit in 64 bits, else 400. */
@Component("pathIds")
public class PathIds {

    public long conversationId(String value) {
        return parse("conversationId", value);
    }

    public long messageId(String value) {
        return parse("messageId", value);
    }

    public long parse(String name, String value) {
        if (value == null || value.isEmpty() || value.length() > 64 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(name);
        }
        long id;
        try {
            id = Long.parseLong(value);
        } catch (NumberFormatException tooLarge) {
            throw invalid(name);
        }
        if (id <= 0) {
            throw invalid(name);
        }
        return id;
    }

    private static ApiProblem invalid(String name) {
        return ApiProblem.badRequest(name + " must be a positive integer that fits in 64 bits.");
    }
}
