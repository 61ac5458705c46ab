package chat.platform.duplicate.problem;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every route thread is busy (ROUTES_MAX_THREADS requests already in the routes, most of them
 * waiting for the bridge): a new request is refused at once, before any route step ran, with
 * {@code 503} and {@code Retry-After}, instead of queueing behind them. Nothing was read or
 * written for it, so retrying it (with or without Idempotency-Key) is safe. Spring MVC's
 * documented exception handling: platform-http hands the request to Spring's task pool, which
 * rejects it before any route runs.
 */
@RestControllerAdvice
public class RouteCapacityAdvice {

    private static final Logger LOG = LoggerFactory.getLogger(RouteCapacityAdvice.class);

    @ExceptionHandler(TaskRejectedException.class)
    public ResponseEntity<String> allRouteThreadsBusy(TaskRejectedException rejected) {
        LOG.warn("All route threads are busy: request refused with 503 (ROUTES_MAX_THREADS)");
        return ResponseEntity.status(503)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .contentType(MediaType.parseMediaType(Problem.MEDIA_TYPE))
                .body(new Problem(503, "Service Unavailable",
                        "The service is handling as many requests as it can. Try again shortly; nothing was done for this request.").toJson());
    }
}
