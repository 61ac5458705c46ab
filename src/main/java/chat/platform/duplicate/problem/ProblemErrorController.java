package chat.platform.duplicate.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replies that never reach a route (unknown path, wrong method, a request the server
 * rejects before routing) are problem+json too, without a stack trace. Spring Boot's documented
 * way to shape the error page ({@link ErrorController}); its own renders JSON, not a problem.
 */
@RestController
public class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    public ResponseEntity<String> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        HttpStatus known = HttpStatus.resolve(status);
        String title = known != null ? known.getReasonPhrase() : "Error";
        String detail = switch (status) {
            case 404 -> "No such resource.";
            case 405 -> "This method is not allowed on this resource.";
            case 413 -> "The request is too large.";
            default -> status >= 500 ? "The request could not be completed." : "The request is not valid.";
        };
        return ResponseEntity.status(status)
                .contentType(MediaType.parseMediaType(Problem.MEDIA_TYPE))
                .body(new Problem(status, title, detail).toJson());
    }
}
