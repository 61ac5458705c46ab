package chat.platform.duplicate.bridge;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Runs when a send to the bridge fails, before Camel computes the next redelivery delay: a
 * {@code 429} with {@code Retry-After} (seconds, or an HTTP date) waits at least that long,
 * capped by BRIDGE_MAX_DELAY_MS, through Camel's per-exchange {@code CamelRedeliveryDelay}
 * header; any other failure clears it, so the route's backoff policy applies.
 */
@Component("retryAfter")
public class RetryAfter implements Processor {

    private final long maxDelayMs;

    public RetryAfter(@Value("${bridge.max-delay-ms:5000}") long maxDelayMs) {
        this.maxDelayMs = maxDelayMs;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getException() != null
                ? exchange.getException() : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Long delay = delayMs(failure);
        if (delay == null) {
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        } else {
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay);
        }
    }

    /** The delay a failure asks for, capped; null when it asks for none. */
    public Long delayMs(Throwable failure) {
        if (!(failure instanceof HttpOperationFailedException http) || http.getStatusCode() != 429) {
            return null;
        }
        Long asked = retryAfterMs(header(http.getResponseHeaders(), "Retry-After"));
        return asked == null ? null : Math.min(asked, maxDelayMs);
    }

    static Long retryAfterMs(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Math.multiplyExact(Long.parseLong(text), 1000L);
            } catch (ArithmeticException | NumberFormatException tooLarge) {
                return Long.MAX_VALUE;
            }
        }
        try {
            long ms = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis();
            return Math.max(ms, 0);
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }
}
