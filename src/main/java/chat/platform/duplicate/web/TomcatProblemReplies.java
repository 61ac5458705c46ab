package chat.platform.duplicate.web;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Replaces Tomcat's HTML error report with {@link ProblemErrorReportValve}, so that replies
 * Tomcat produces itself, before Spring MVC, are {@code application/problem+json} too. Runs
 * after Spring Boot's own customizer, which adds a plain {@link ErrorReportValve} to the host
 * (with {@code server.error.include-stacktrace: never}): that one is removed.
 * <p>
 * Tomcat's connector answers TRACE with an empty {@code 405} before any valve runs: TRACE is let
 * through instead, and {@link RequestGuard} refuses it as a problem.
 * <p>
 * Hand-written because Spring Boot has no setting for the format of Tomcat's own error replies.
 */
@Component("tomcatProblemReplies")
public class TomcatProblemReplies implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        // Tomcat refuses TRACE itself with an empty 405 that no valve or error page sees; let it
        // through to RequestGuard, which refuses it as a problem (nothing ever answers TRACE)
        factory.addConnectorCustomizers(connector -> connector.setAllowTrace(true));
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                install(host);
            }
        });
    }

    static void install(StandardHost host) {
        // a host starting without an error report valve of this class would add one of its own
        host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        boolean installed = false;
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ProblemErrorReportValve) {
                installed = true;
            } else if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
            }
        }
        if (!installed) {
            host.getPipeline().addValve(new ProblemErrorReportValve());
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
