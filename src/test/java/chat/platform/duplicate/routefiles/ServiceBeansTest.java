package chat.platform.duplicate.routefiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import chat.platform.duplicate.support.ServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * The bean names the route check knows, read from the service's class files without a context,
 * against the running service's context: each is a bean there, the routes' beans are among them,
 * and beans that exist only sometimes (tracing's) are not.
 */
class ServiceBeansTest extends ServiceTest {

    @Autowired
    ApplicationContext context;

    @Test
    void everyScannedNameIsABeanOfTheRunningService() {
        Set<String> names = ServiceBeans.scan();

        assertThat(names).contains("tokenAuthenticator", "duplicateRules", "messageRows", "bridgeCircuit", "bridgeCircuitBreaker",
                "retryAfter", "traceAttributes", "problemResponses", "statusUpdates");
        assertThat(names).allSatisfy(name -> assertThat(context.containsBean(name)).as(name).isTrue());
        assertThat(names).as("conditional beans and test classes").doesNotContain("camelOpenTelemetryTracer", "openTelemetry", "statementCounter", "countingDataSource");
    }
}
