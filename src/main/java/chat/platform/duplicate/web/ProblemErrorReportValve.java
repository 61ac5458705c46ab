package chat.platform.duplicate.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import chat.platform.duplicate.problem.Problem;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own error replies as RFC 9457 problems instead of its HTML page: requests Tomcat
 * refuses before any servlet sees them (a malformed request line or header, a header section
 * over the size limit, an encoded slash or NUL in the path, an unsupported HTTP version or
 * transfer coding). Errors inside the application never get here: Spring's error page
 * ({@code /error}) has already written their problem. Nothing of the request is echoed.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            response.setContentType(Problem.MEDIA_TYPE);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(problemFor(status).toJson());
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the reply already committed: nothing more to tell
        }
    }

    static Problem problemFor(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        String title = known != null ? known.getReasonPhrase() : "Error";
        String detail = switch (status) {
            case 400 -> "The request is not valid HTTP: its request line, a header or its path could not be accepted.";
            case 404 -> "No such resource.";
            case 405 -> "This method is not allowed on this resource.";
            case 413 -> "The request is too large.";
            case 414 -> "The request target is too long.";
            case 431 -> "The request's headers are too large.";
            case 501 -> "The request uses a method or transfer coding this server does not implement.";
            case 505 -> "This HTTP version is not supported; use HTTP/1.1.";
            default -> status >= 500 ? "The request could not be completed." : "The request could not be accepted.";
        };
        return new Problem(status, title, detail);
    }
}
